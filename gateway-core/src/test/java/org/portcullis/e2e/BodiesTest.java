package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.fixtures.BodyPattern;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Request and response bodies through the real gateway: bodies are forwarded byte for byte in both framings,
 * {@code Expect: 100-continue} is answered by the gateway only for requests it will forward, bodiless responses stay
 * bodiless, HTTP/1.0 clients get framing they understand, and a route's {@code max_body_bytes} stops a body before
 * the upstream ever sees a complete request (SECURITY-RULES 19).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class BodiesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);

    /** {@code app.test} with the default body limit, {@code small.test} with 1 KiB; {@code /denied} is denied. */
    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
              - name: small
                host: small.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
                max_body_bytes: 1KiB
            access_control:
              default_policy: bypass
              rules:
                - id: denied
                  paths: [/denied]
                  policy: deny
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(CONFIG);

    // ---- uploads ----

    @Test
    void contentLengthBodyIsForwardedByteExact() throws Exception {
        // Every byte value, CR LF and NUL included, four times over.
        byte[] body = new byte[1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(concat(("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 1024\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }

        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("POST /upload HTTP/1.1");
        assertThat(received.headers("Content-Length")).containsExactly("1024");
        assertThat(received.headers("Transfer-Encoding")).isEmpty();
        assertThat(received.complete()).isTrue();
        assertThat(received.body()).isEqualTo(body);
    }

    @Test
    void chunkedUploadIsForwardedChunkedWithTheExactContent() throws Exception {
        String upload = "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n"
                + "1A\r\n abcdefghijklmnopqrstuvwxy\r\n"
                + "1\r\nz\r\n"
                + "0\r\n\r\n";
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(upload);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }

        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.headers("Transfer-Encoding")).containsExactly("chunked");
        assertThat(received.headers("Content-Length")).isEmpty();
        assertThat(received.complete()).isTrue();
        assertThat(received.bodyText()).isEqualTo("hello abcdefghijklmnopqrstuvwxyz");
    }

    @Test
    void expectContinueGets100ThenTheFinalResponse() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 11\r\n\r\n");
            RawResponse interim = client.readResponse(WAIT);
            assertThat(interim.status()).isEqualTo(100);

            client.send("hello world");
            RawResponse last = client.readResponse(WAIT);
            assertThat(last.status()).isEqualTo(200);
        }

        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.complete()).isTrue();
        assertThat(received.bodyText()).isEqualTo("hello world");
    }

    @Test
    void expectContinueOnADeniedPathGetsTheRefusalWithout100AndCloses() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST /denied HTTP/1.1\r\nHost: app.test\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 11\r\n\r\n");

            // The first response is the final refusal: no 100 invites a body the gateway will not forward.
            RawResponse first = client.readResponse(WAIT);
            assertThat(first.status()).isEqualTo(403);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    @Test
    void unknownExpectationGets417() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "POST /upload HTTP/1.1\r\nHost: app.test\r\nExpect: something-else\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(response.status()).isEqualTo(417);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    @Test
    void contentLengthOverTheRouteLimitGets413BeforeTheUpstreamSeesAnything() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(concat("POST /upload HTTP/1.1\r\nHost: small.test\r\nContent-Length: 2048\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1), BodyPattern.bytes(0, 2048)));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(413);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    @Test
    void bodyOfExactlyTheRouteLimitPasses() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(concat("POST /upload HTTP/1.1\r\nHost: small.test\r\nContent-Length: 1024\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1), BodyPattern.bytes(0, 1024)));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.bodyLength()).isEqualTo(1024);
        assertThat(BodyPattern.matches(received.body())).isTrue();
    }

    @Test
    void chunkedUploadOverTheRouteLimitNeverReachesTheUpstreamComplete() throws Exception {
        StringBuilder upload = new StringBuilder(
                "POST /upload HTTP/1.1\r\nHost: small.test\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = new String(BodyPattern.bytes(0, 512), StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 4; i++) {
            upload.append("200\r\n").append(chunk).append("\r\n");
        }
        upload.append("0\r\n\r\n");

        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(upload.toString());
            RawResponse response;
            try {
                response = client.readResponse(WAIT);
            } catch (IOException closedWithoutAnswer) {
                response = null;
            }
            if (response != null) {
                assertThat(response.status()).isEqualTo(413);
            }
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        // The head may already have gone upstream; the body never completes there, so no application acts on it.
        RecordedRequest received = gateway.upstream().takeRequest(NOTHING);
        if (received != null) {
            assertThat(received.complete()).isFalse();
            assertThat(received.bodyLength()).isLessThanOrEqualTo(1024);
        }
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    // ---- downloads ----

    @Test
    void headResponseHasHeadersOnlyAndTheConnectionStaysInStep() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            // Pipelined: if a single body byte followed the HEAD response, the next status line would be garbage.
            client.send("HEAD /bytes/1000 HTTP/1.1\r\nHost: app.test\r\n\r\n"
                    + "GET /after-head HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse head = client.readResponse(WAIT, true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("1000");
            assertThat(head.bodyLength()).isZero();

            RawResponse next = client.readResponse(WAIT);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).contains("\"target\":\"/after-head\"");
        }
        assertThat(gateway.upstream().takeRequest(WAIT).method()).isEqualTo("HEAD");
    }

    @Test
    void chunkedDownloadArrivesChunkedAndExact() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /chunked/300007 HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers("Transfer-Encoding")).containsExactly("chunked");
        assertThat(response.headers("Content-Length")).isEmpty();
        assertThat(response.bodyLength()).isEqualTo(300_007);
        assertThat(BodyPattern.matches(response.body())).isTrue();
    }

    @ParameterizedTest(name = "/status/{0}")
    @ValueSource(ints = {204, 304})
    void bodilessResponsesStayBodiless(int status) throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /status/" + status + " HTTP/1.1\r\nHost: app.test\r\n\r\n"
                    + "GET /after HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse bodiless = client.readResponse(WAIT);
            assertThat(bodiless.status()).isEqualTo(status);
            assertThat(bodiless.headers("Transfer-Encoding")).isEmpty();
            assertThat(bodiless.bodyLength()).isZero();

            RawResponse next = client.readResponse(WAIT);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).contains("\"target\":\"/after\"");
        }
    }

    static Stream<Arguments> http10Downloads() {
        return Stream.of(
                // upstream sends Content-Length: passed on as such
                Arguments.of("/bytes/5000"),
                // upstream sends chunked, which HTTP/1.0 does not know: close-delimited (or a length) instead
                Arguments.of("/chunked/5000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("http10Downloads")
    void http10ClientGetsALengthOrCloseDelimitedBodyAndTheConnectionCloses(String path) throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET " + path + " HTTP/1.0\r\nHost: app.test\r\n\r\n");
            RawResponse response = client.readResponse(WAIT);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers("Transfer-Encoding")).isEmpty();
            assertThat(response.bodyLength()).isEqualTo(5000);
            assertThat(BodyPattern.matches(response.body())).isTrue();
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
    }

    private static byte[] concat(byte[] head, byte[] body) {
        ByteArrayOutputStream all = new ByteArrayOutputStream(head.length + body.length);
        all.writeBytes(head);
        all.writeBytes(body);
        return all.toByteArray();
    }
}
