package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.Behaviour;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * SECURITY-RULES 10 (fail closed) against a misbehaving upstream: bad framing, resets, silence and slowness end in a
 * gateway error page or a closed client connection, never in a response that looks complete but is not, and a
 * connection whose framing went wrong is never reused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamMisbehaviourTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);

    /** {@code app.test}: upstream_timeout 2s; {@code quick.test}: 500ms; {@code dead.test}: nobody listens there. */
    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            limits:
              upstream_connect_timeout: 1s
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
              - name: quick
                host: quick.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 500ms
              - name: dead
                host: dead.test
                upstream: http://127.0.0.1:@DEAD@
                upstream_timeout: 500ms
            access_control:
              default_policy: bypass
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(
            CONFIG.replace("@DEAD@", Integer.toString(GatewayUnderTest.unusedPort())));

    @BeforeEach
    void resetUpstreamBehaviour() {
        gateway.upstream().behaviour(Behaviour.NORMAL).slowDelay(Duration.ofMillis(10));
    }

    static Stream<Arguments> badlyFramedResponses() {
        return Stream.of(
                // 1: Content-Length and Transfer-Encoding together: the two framings disagree (RFC 9112 §6.3)
                Arguments.of("content-length-and-transfer-encoding"),
                // 2: two different Content-Length values: which one ends the body is anybody's guess
                Arguments.of("two-content-lengths"),
                // 3: Content-Length 5, ten bytes: the extra five would start the "next response" (desync)
                Arguments.of("body-longer-than-declared"));
    }

    @ParameterizedTest
    @MethodSource("badlyFramedResponses")
    void ambiguousResponseFramingIs502AndTheNextRequestUsesAFreshUpstreamConnection(String behaviour)
            throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /misbehave/" + behaviour + "/x HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse refused = client.readResponse(WAIT);
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.header("X-Upstream-Connection")).isNull();
            RecordedRequest broken = gateway.upstream().takeRequest(WAIT);
            assertThat(broken.path()).isEqualTo("/misbehave/" + behaviour + "/x");

            client.send("GET /after HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse next = client.readResponse(WAIT);

            assertThat(next.status()).isEqualTo(200);
            RecordedRequest after = gateway.upstream().takeRequest(WAIT);
            assertThat(after.requestLine()).isEqualTo("GET /after HTTP/1.1");
            assertThat(after.connectionIndex())
                    .as("the broken upstream connection is thrown away, never reused")
                    .isNotEqualTo(broken.connectionIndex())
                    .isEqualTo(gateway.upstream().connectionCount() - 1);
            assertThat(next.header("X-Upstream-Connection")).isEqualTo(Integer.toString(after.connectionIndex()));
        }
    }

    @Test
    void resetInTheMiddleOfTheBodyNeverLooksLikeACompleteResponse() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /misbehave/reset-mid-response/bytes/200000 HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse[] answer = new RawResponse[1];
            Throwable failure = catchThrowable(() -> answer[0] = client.readResponse(WAIT));

            if (failure == null) {
                // Only allowed when nothing had been relayed yet: then the whole answer is the gateway's error page.
                assertThat(answer[0].status()).isEqualTo(502);
            } else {
                // Truncated against its own Content-Length, or no response at all: the client knows it is broken.
                assertThat(failure).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
            }
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        assertThat(gateway.upstream().takeRequest(WAIT).path()).isEqualTo("/misbehave/reset-mid-response/bytes/200000");
    }

    @Test
    void silentUpstreamIs504AfterTheRouteUpstreamTimeout() throws Exception {
        long started = System.nanoTime();
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /misbehave/no-response/x HTTP/1.1\r\nHost: quick.test\r\n\r\n");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.status()).isEqualTo(504);
        assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(1900));
        assertThat(gateway.upstream().takeRequest(WAIT).path()).isEqualTo("/misbehave/no-response/x");
    }

    @Test
    void aSilentUpstreamIs504AlsoForTheLaterRequestsOfAKeepAliveConnection() throws Exception {
        // The upstream clock belongs to the client connection and is handed from exchange to exchange: each earlier
        // exchange ended (answered) must leave it to the next one, whose silent upstream still ends in a 504.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /answered/" + i + " HTTP/1.1\r\nHost: quick.test\r\n\r\n");
                assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            }
            long started = System.nanoTime();
            client.send("GET /misbehave/no-response/x HTTP/1.1\r\nHost: quick.test\r\n\r\n");
            RawResponse response = client.readResponse(WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.status()).isEqualTo(504);
            assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(1900));
        }
    }

    @Test
    void upstreamSendingItsHeadSlowerThanTheTimeoutIs504() throws Exception {
        // ~200 bytes of head at 50 ms a byte would take ten seconds; the route allows 500 ms.
        gateway.upstream().slowDelay(Duration.ofMillis(50));
        long started = System.nanoTime();
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /misbehave/slow-headers/x HTTP/1.1\r\nHost: quick.test\r\n\r\n");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.header("X-Upstream-Connection")).isNull();
        assertThat(took).isLessThan(Duration.ofMillis(1900));
    }

    @Test
    void upstreamClosingWithoutAnswerIs502() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /misbehave/close-without-response/x HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(response.status()).isEqualTo(502);
        assertThat(gateway.upstream().takeRequest(WAIT).path()).isEqualTo("/misbehave/close-without-response/x");
    }

    @Test
    void nonIdempotentRequestIsNeverRetriedWhenTheUpstreamClosesWithoutAnswer() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            // Warm the pool, so the POST goes out on a reused connection: the case where GETs are retried.
            client.send("GET /warm HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            client.send("POST /misbehave/close-without-response/pay HTTP/1.1\r\nHost: app.test\r\n"
                    + "Content-Length: 3\r\n\r\nabc");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(502);
        }
        assertThat(gateway.upstream().takeRequest(WAIT).path()).isEqualTo("/warm");
        assertThat(gateway.upstream().takeRequest(WAIT).path()).isEqualTo("/misbehave/close-without-response/pay");
        assertThat(gateway.upstream().takeRequest(NOTHING)).as("a POST reaches the upstream once").isNull();
    }

    @Test
    void idempotentRequestOnAReusedConnectionIsRetriedExactlyOnceOnAFreshOne() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /warm HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            // Looks to the gateway like a pooled connection the upstream had closed: worth one retry for a GET.
            client.send("GET /misbehave/close-without-response/retry HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(502);
        }
        RecordedRequest warm = gateway.upstream().takeRequest(WAIT);
        RecordedRequest first = gateway.upstream().takeRequest(WAIT);
        RecordedRequest retry = gateway.upstream().takeRequest(WAIT);
        assertThat(first.connectionIndex()).as("first try on the pooled connection").isEqualTo(warm.connectionIndex());
        assertThat(retry.path()).isEqualTo("/misbehave/close-without-response/retry");
        assertThat(retry.connectionIndex()).as("the retry uses a fresh connection")
                .isNotEqualTo(warm.connectionIndex());
        assertThat(gateway.upstream().takeRequest(NOTHING)).as("only one retry").isNull();
    }

    @Test
    void slowUpstreamBodyIsStreamedToTheClientAsItArrives() throws Exception {
        // Ten body bytes, 150 ms apart: the head and the first byte must reach the client long before the last.
        // Timed from the first byte, not from the request, so a slow start on a loaded machine cannot fail it.
        gateway.upstream().slowDelay(Duration.ofMillis(150));
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /misbehave/slow-body/bytes/10 HTTP/1.1\r\nHost: app.test\r\n"
                    + "Connection: close\r\n\r\n");
            long deadline = System.nanoTime() + WAIT.toNanos();
            String early = "";
            while (!early.matches("(?s).*\r\n\r\n.+") && System.nanoTime() < deadline) {
                early += new String(client.readAvailable(Duration.ofMillis(20)), StandardCharsets.ISO_8859_1);
            }
            long firstBodyByte = System.nanoTime();
            String rest = new String(client.readAvailable(WAIT), StandardCharsets.ISO_8859_1);
            long restMillis = (System.nanoTime() - firstBodyByte) / 1_000_000;

            assertThat(early).startsWith("HTTP/1.1 200 ").contains("\r\nContent-Length: 10\r\n");
            String body = (early + rest).substring((early + rest).indexOf("\r\n\r\n") + 4);
            assertThat(body).hasSize(10);
            assertThat(rest).as("the last bytes come later").isNotEmpty();
            assertThat(restMillis).as("the rest of the body follows the upstream's pace (9 x 150 ms)")
                    .isGreaterThanOrEqualTo(600);
        }
    }

    @Test
    void staleKeepAliveUpstreamConnectionDoesNotFailTheNextIdempotentRequest() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            for (int i = 0; i < 5; i++) {
                // The upstream answers without "Connection: close" and then closes: the pooled connection is stale.
                client.send("GET /misbehave/close-after-response/" + i + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
                assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
                client.send("GET /next/" + i + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
                RawResponse next = client.readResponse(WAIT);
                assertThat(next.status()).isEqualTo(200);
                assertThat(next.bodyText()).contains("/next/" + i);
            }
        }
    }

    static Stream<Arguments> retriedRequestsAndTheRequestsAfterThem() {
        // Every idempotent request the gateway retries (GET, HEAD, OPTIONS; without a body, with Content-Length: 0,
        // with an empty chunked body, which only OPTIONS may have), each followed on the same client connection by a plain GET and by a POST whose
        // body is itself a complete request: on an upstream connection whose request encoder was left expecting the
        // end of the retried request, the next head cannot be written and the body goes out as a request of its own.
        Stream<String> retried = Stream.of(
                "GET @PATH@ HTTP/1.1\r\nHost: app.test\r\n\r\n",
                "HEAD @PATH@ HTTP/1.1\r\nHost: app.test\r\n\r\n",
                "OPTIONS @PATH@ HTTP/1.1\r\nHost: app.test\r\n\r\n",
                "GET @PATH@ HTTP/1.1\r\nHost: app.test\r\nContent-Length: 0\r\n\r\n",
                "OPTIONS @PATH@ HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        return retried.flatMap(request -> Stream.of(
                Arguments.of(request, "GET /next HTTP/1.1\r\nHost: app.test\r\n\r\n", ""),
                Arguments.of(request, "POST /next HTTP/1.1\r\nHost: app.test\r\nContent-Length: "
                        + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED, SMUGGLED)));
    }

    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: app.test\r\n\r\n";

    @ParameterizedTest
    @MethodSource("retriedRequestsAndTheRequestsAfterThem")
    void upstreamConnectionOfARetriedRequestServesTheNextRequestWholeAndOnlyIt(String retriedTemplate,
            String nextRequest, String nextBody) throws Exception {
        String retriedPath = "/misbehave/close-if-reused/retried";
        String retriedRequest = retriedTemplate.replace("@PATH@", retriedPath);
        boolean head = retriedRequest.startsWith("HEAD ");
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            // Warm the pool, so the retried request goes out first on a reused connection, which the upstream drops.
            client.send("GET /warm HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            client.send(retriedRequest);
            assertThat(client.readResponse(WAIT, head).status()).as("answered on the retry").isEqualTo(200);

            client.send(nextRequest);
            RawResponse next = client.readResponse(WAIT);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).contains("\"/next\"").doesNotContain("/smuggled");
        }
        RecordedRequest warm = gateway.upstream().takeRequest(WAIT);
        RecordedRequest dropped = gateway.upstream().takeRequest(WAIT);
        RecordedRequest retry = gateway.upstream().takeRequest(WAIT);
        RecordedRequest after = gateway.upstream().takeRequest(WAIT);
        assertThat(warm.path()).isEqualTo("/warm");
        assertThat(dropped.path()).isEqualTo(retriedPath);
        assertThat(dropped.connectionIndex()).as("first try on the pooled connection").isEqualTo(warm.connectionIndex());
        assertThat(retry.path()).isEqualTo(retriedPath);
        assertThat(retry.indexOnConnection()).as("the retry on a fresh connection").isZero();
        assertThat(after).as("the request after the retry reached the upstream").isNotNull();
        assertThat(after.connectionIndex()).as("it reuses the connection the retry opened: the case under test")
                .isEqualTo(retry.connectionIndex());
        assertThat(after.requestLine()).isEqualTo(nextRequest.substring(0, nextRequest.indexOf("\r\n")));
        assertThat(after.bodyText()).isEqualTo(nextBody);
        assertThat(gateway.upstream().takeRequest(NOTHING)).as("nothing else, above all no smuggled request").isNull();
    }

    @Test
    void upstreamPortWithNothingListeningIs502() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /x HTTP/1.1\r\nHost: dead.test\r\n\r\n");

        assertThat(response.status()).isEqualTo(502);
    }

    static Stream<Arguments> injectedResponseHeaders() {
        return Stream.of(
                // 1: bare LF inside a reflected header value: the upstream's head is malformed
                Arguments.of("X-A=1%0AX-Injected:%201"),
                // 2: bare CR
                Arguments.of("X-A=1%0DX-Injected:%201"),
                // 3: CR LF SP: obs-fold, which RFC 9112 §5.2 lets a proxy reject
                Arguments.of("X-A=1%0D%0A%20X-Injected:%201"),
                // 4: NUL before the injected text
                Arguments.of("X-A=1%00%0D%0AX-Injected:%201"),
                // 5: injected Content-Length next to the real one: two lengths
                Arguments.of("X-A=1%0D%0AContent-Length:%200%0D%0AX-Injected:%201"),
                // 6: injected Transfer-Encoding next to the real Content-Length
                Arguments.of("X-A=1%0D%0ATransfer-Encoding:%20chunked%0D%0AX-Injected:%201"));
    }

    @ParameterizedTest
    @MethodSource("injectedResponseHeaders")
    void responseHeaderInjectionThatBreaksFramingIs502(String query) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /response-headers?" + query + " HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.headers("X-Injected")).isEmpty();
        assertThat(response.head()).doesNotContain("X-Injected");
        assertThat(gateway.upstream().takeRequest(WAIT).target()).isEqualTo("/response-headers?" + query);
    }

    @Test
    void wellFormedInjectedHeaderLineCannotDesynchroniseTheClientConnection() throws Exception {
        // CR LF in a reflected value makes a well-formed extra header line: on the wire it is indistinguishable from
        // a header the application meant to send, so the gateway relays it. What it must guarantee is framing: one
        // response, exactly as long as declared, and the next request on the connection answered correctly.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /response-headers?X-A=1%0D%0AX-Injected:%201 HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse first = client.readResponse(WAIT);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers("X-A")).containsExactly("1");

            client.send("GET /second HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse second = client.readResponse(WAIT);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.bodyText()).contains("/second");
            assertThat(second.headers("X-Injected")).isEmpty();
        }
    }
}
