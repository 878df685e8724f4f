package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
import org.portcullis.fixtures.RecordedRequest;

/**
 * A GET or HEAD request with a body is refused (400, connection closed) unless its route says
 * {@code allow_body_on_get: true}: an upstream that ignores Content-Length or chunked framing on these methods reads
 * the body as the next request, so the body is a smuggled request there. {@code Content-Length: 0} is no body.
 * Judged by what the echo upstream received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class BodyOnGetTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final String SMUGGLED = "GET /admin HTTP/1.1\r\nHost: app.test\r\n\r\n";

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig("""
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
              - name: search
                host: search.test
                upstream: http://@UPSTREAM@
                allow_body_on_get: true
            access_control:
              default_policy: bypass
            """);

    static Stream<Arguments> bodiesOnGetAndHead() {
        return Stream.of(
                // 1: GET with a Content-Length body that is itself a request
                Arguments.of("GET CL", "GET / HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + SMUGGLED.length()
                        + "\r\n\r\n" + SMUGGLED),
                // 2: GET with a chunked body
                Arguments.of("GET chunked", "GET / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n"),
                // 3: GET chunked with no data at all: chunked framing is still a body
                Arguments.of("GET chunked empty", "GET / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked"
                        + "\r\n\r\n0\r\n\r\n"),
                // 4: HEAD with a Content-Length body
                Arguments.of("HEAD CL", "HEAD / HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + SMUGGLED.length()
                        + "\r\n\r\n" + SMUGGLED),
                // 5: HEAD with a chunked body
                Arguments.of("HEAD chunked", "HEAD / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n"),
                // 6: HTTP/1.0 GET with a body
                Arguments.of("HTTP/1.0 GET CL", "GET / HTTP/1.0\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhello"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesOnGetAndHead")
    void bodyOnGetOrHeadIsRefusedAndClosed(String name, String request) throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(request);
            RawResponse response = client.readResponse(WAIT, request.startsWith("HEAD"));
            assertThat(response.status()).isEqualTo(400);
            assertThat(client.isClosedByPeer(WAIT)).as("connection closed after the refusal").isTrue();
        }
        assertThat(gateway.upstream().takeRequest(NOTHING)).as("nothing reached the upstream").isNull();
    }

    @Test
    void contentLengthZeroIsNoBody() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /zero HTTP/1.1\r\nHost: app.test\r\nContent-Length: 0\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /zero HTTP/1.1");
        assertThat(received.bodyLength()).isZero();
    }

    @Test
    void aRouteThatAllowsBodiesOnGetGetsTheBody() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /query HTTP/1.1\r\nHost: search.test\r\nContent-Length: 13\r\n\r\n{\"q\":\"care\"}\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /query HTTP/1.1");
        assertThat(received.bodyText()).isEqualTo("{\"q\":\"care\"}\n");
    }

    @Test
    void postWithABodyIsUnaffected() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "POST /form HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(response.status()).isEqualTo(200);
        assertThat(gateway.upstream().takeRequest(WAIT).bodyText()).isEqualTo("hello");
    }
}
