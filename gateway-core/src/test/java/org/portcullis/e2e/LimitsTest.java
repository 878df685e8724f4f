package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * SECURITY-RULES 19 (bound everything) for the size limits of a request: request line, header section, header count
 * and body, each refused with its status before anything reaches the upstream, and the connection closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final int MAX_REQUEST_LINE = 256;
    private static final int MAX_HEADER_BYTES = 1024;
    private static final int MAX_HEADERS = 10;
    private static final int MAX_BODY = 1024;
    private static final int BIG_ROUTE_MAX_BODY = 64 * 1024;

    /** Small global limits; route {@code big} allows 64 KiB bodies, more than the global 1 KiB. */
    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            limits:
              max_request_line_bytes: 256
              max_header_bytes: 1024
              max_headers: 10
              max_body_bytes: 1KiB
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
              - name: big
                host: big.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
                max_body_bytes: 64KiB
            access_control:
              default_policy: bypass
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(CONFIG);

    static Stream<Arguments> oversizedRequests() {
        return Stream.of(
                // 1: request line one byte over max_request_line_bytes
                Arguments.of(requestLineOfLength(MAX_REQUEST_LINE + 1) + "\r\nHost: app.test\r\n\r\n", 414),
                // 2: a request line of 8 KiB, far over the limit (never buffered whole)
                Arguments.of(requestLineOfLength(8192) + "\r\nHost: app.test\r\n\r\n", 414),
                // 3: one header line larger than max_header_bytes on its own
                Arguments.of("GET / HTTP/1.1\r\nHost: app.test\r\nX-Big: " + "b".repeat(MAX_HEADER_BYTES) + "\r\n\r\n",
                        431),
                // 4: five lines of 250 bytes: each is small, together they exceed max_header_bytes
                Arguments.of("GET / HTTP/1.1\r\nHost: app.test\r\n" + headers(5, 240) + "\r\n", 431),
                // 5: Host plus 10 small fields = 11 > max_headers
                Arguments.of("GET / HTTP/1.1\r\nHost: app.test\r\n" + headers(MAX_HEADERS, 1) + "\r\n", 431),
                // 6: Content-Length one byte over limits.max_body_bytes: refused on the declaration, body unsent
                Arguments.of("POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n",
                        413),
                // 7: Content-Length over the big route's own 64 KiB
                Arguments.of("POST / HTTP/1.1\r\nHost: big.test\r\nContent-Length: " + (BIG_ROUTE_MAX_BODY + 1)
                        + "\r\n\r\n", 413),
                // 8: a body over the global limit sent on a route without its own limit, with the body attached
                Arguments.of("POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 4096\r\n\r\n" + "x".repeat(4096),
                        413));
    }

    @ParameterizedTest
    @MethodSource("oversizedRequests")
    void oversizedRequestIsRefusedAndTheConnectionClosed(String request, int status) throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(request);
            RawResponse response = client.readResponse(WAIT);

            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndNeverReachesTheUpstreamComplete() throws Exception {
        String chunk = "400\r\n" + "c".repeat(1024) + "\r\n";
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk + chunk + "0\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(413);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        RecordedRequest received = gateway.upstream().takeRequest(NOTHING);
        if (received != null) {
            // The head may have gone out while the body streamed; the upstream must see the request cut off.
            assertThat(received.complete()).isFalse();
            assertThat(received.bodyLength()).isLessThanOrEqualTo(MAX_BODY);
        }
    }

    @Test
    void requestsRightAtTheLimitsPass() throws Exception {
        // Request line of exactly max_request_line_bytes; Host + 8 fillers + Content-Length = exactly max_headers;
        // a body of exactly max_body_bytes.
        String request = requestLineOfLength("PUT", MAX_REQUEST_LINE) + "\r\nHost: app.test\r\n"
                + headers(MAX_HEADERS - 2, 1) + "Content-Length: " + MAX_BODY + "\r\n\r\n" + "y".repeat(MAX_BODY);
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(request);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.method()).isEqualTo("PUT");
        assertThat(received.bodyLength()).isEqualTo(MAX_BODY);
        assertThat(received.header("X-F7")).isEqualTo("v");
    }

    @Test
    void routeBodyLimitLargerThanTheGlobalOneLetsABiggerBodyThrough() throws Exception {
        int size = 32 * 1024;
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: big.test\r\nContent-Length: " + size + "\r\n\r\n"
                    + "z".repeat(size));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.bodyLength()).isEqualTo(size);
        assertThat(received.complete()).isTrue();

        // The same body on a route that only has the global 1 KiB is refused.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + size + "\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(413);
        }
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    private static String requestLineOfLength(int length) {
        return requestLineOfLength("GET", length);
    }

    /** {@code METHOD /aaa… HTTP/1.1} of exactly {@code length} bytes (CRLF not counted). */
    private static String requestLineOfLength(String method, int length) {
        String frame = method + " / HTTP/1.1";
        return method + " /" + "a".repeat(length - frame.length()) + " HTTP/1.1";
    }

    /** {@code count} fields {@code X-Fn: vvv…} with {@code valueLength}-byte values. */
    private static String headers(int count, int valueLength) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < count; i++) {
            fields.append("X-F").append(i).append(": ").append("v".repeat(valueLength)).append("\r\n");
        }
        return fields.toString();
    }
}
