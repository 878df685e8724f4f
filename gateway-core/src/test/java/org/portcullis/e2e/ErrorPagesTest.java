package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;

/**
 * The gateway's own error pages as a client sees them: HTML by default, JSON when asked for, never cached, no
 * server version, no stack trace, nothing of the request reflected (SECURITY-RULES 10: every refusal is a page,
 * and the page tells an attacker nothing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class ErrorPagesTest {
    /** Put in the request wherever possible; it must never come back in a page. */
    private static final String REFLECTED = "xss-probe";
    /** The request head was parsed, so the page can follow its Accept. */
    private static final boolean HEAD_PARSED = true;
    /** The strict decoder refused the bytes before there was a head to read Accept from: always HTML. */
    private static final boolean DECODER_REFUSED = false;

    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
                max_body_bytes: 1KiB
            access_control:
              default_policy: bypass
              rules:
                - id: denied
                  paths: [/denied]
                  policy: deny
                - id: members
                  paths: [/members, /members/**]
                  policy: one_factor
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(CONFIG);

    @Test
    void notFoundIsAnHtmlPageByDefault() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /" + REFLECTED + " HTTP/1.1\r\nHost: nowhere.test\r\nAccept: text/html,*/*\r\n\r\n");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.bodyText()).startsWith("<!DOCTYPE html>").contains("404").contains("Not found");
        assertGatewayPage(response);
    }

    @Test
    void notFoundIsJsonWhenTheClientAsksForJson() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /" + REFLECTED + " HTTP/1.1\r\nHost: nowhere.test\r\nAccept: application/json\r\n\r\n");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.bodyText()).startsWith("{\"status\":404,").endsWith("}");
        assertGatewayPage(response);
    }

    static Stream<Arguments> gatewayErrors() {
        String host = "Host: app.test\r\n";
        return Stream.of(
                // ambiguous path: refused by the canonicaliser
                Arguments.of("GET /a%2F" + REFLECTED + " HTTP/1.1\r\n" + host + "\r\n", 400, HEAD_PARSED),
                // framing: two Content-Length values
                Arguments.of("POST /" + REFLECTED + " HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 2"
                        + "\r\n\r\nx", 400, DECODER_REFUSED),
                // a sign-in rule with no session
                Arguments.of("GET /members/" + REFLECTED + " HTTP/1.1\r\n" + host + "\r\n", 401, HEAD_PARSED),
                // a deny rule
                Arguments.of("GET /denied?" + REFLECTED + " HTTP/1.1\r\n" + host + "\r\n", 403, HEAD_PARSED),
                // TRACE would reflect the request: refused by the gateway itself
                Arguments.of("TRACE /" + REFLECTED + " HTTP/1.1\r\n" + host + "\r\n", 405, HEAD_PARSED),
                // over the route's body limit
                Arguments.of("POST /" + REFLECTED + " HTTP/1.1\r\n" + host + "Content-Length: 4096\r\n\r\n",
                        413, HEAD_PARSED),
                // an expectation the gateway does not meet
                Arguments.of("GET /" + REFLECTED + " HTTP/1.1\r\n" + host + "Expect: " + REFLECTED + "\r\n\r\n",
                        417, HEAD_PARSED),
                // the upstream closes without answering
                Arguments.of("GET /misbehave/close-without-response/" + REFLECTED + " HTTP/1.1\r\n" + host + "\r\n",
                        502, HEAD_PARSED),
                // the upstream sends ambiguous framing
                Arguments.of("GET /misbehave/two-content-lengths/" + REFLECTED + " HTTP/1.1\r\n" + host + "\r\n",
                        502, HEAD_PARSED),
                // an unknown HTTP version
                Arguments.of("GET /" + REFLECTED + " HTTP/1.7\r\n" + host + "\r\n", 505, DECODER_REFUSED));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("gatewayErrors")
    void everyGatewayErrorIsABrandedUncachedPageWithoutDetails(String request, int status, boolean headParsed)
            throws Exception {
        RawResponse html = RawHttpClient.exchange(gateway.port(), request);
        assertThat(html.status()).isEqualTo(status);
        assertThat(html.header("Content-Type")).startsWith("text/html");
        assertThat(html.bodyText()).contains(Integer.toString(status));
        assertGatewayPage(html);

        RawResponse json = RawHttpClient.exchange(gateway.port(),
                request.replace("Host: app.test\r\n", "Host: app.test\r\nAccept: application/json\r\n"));
        assertThat(json.status()).isEqualTo(status);
        if (headParsed) {
            assertThat(json.header("Content-Type")).startsWith("application/json");
            assertThat(json.bodyText()).startsWith("{\"status\":" + status + ",");
        }
        assertGatewayPage(json);
    }

    @Test
    void upstreamErrorPagesAreRelayedNotReplaced() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /status/404 HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("X-Upstream-Connection")).isNotNull();
        assertThat(response.bodyText()).contains("\"target\":\"/status/404\"");
    }

    private void assertGatewayPage(RawResponse response) {
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        // No product or version banner.
        assertThat(response.headers("Server")).isEmpty();
        assertThat(response.headers("X-Powered-By")).isEmpty();
        // Not the upstream's answer.
        assertThat(response.header("X-Upstream-Connection")).isNull();
        String body = response.bodyText();
        assertThat(body).doesNotContain(REFLECTED);
        assertThat(body.toLowerCase(Locale.ROOT))
                .doesNotContain("exception", "at org.", "at io.", "netty", "java", "stack");
        assertThat(body).doesNotContainPattern("\\d+\\.\\d+\\.\\d+");
    }
}
