package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Per-request authorisation on one connection (SECURITY-RULES 4): every pipelined or keep-alive request is decided
 * on its own, answers come back in order, and a refused request in the middle neither reaches the upstream nor
 * changes how its neighbours are decided. The policy bypasses {@code /public/**} and denies everything else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipeliningTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofMillis(150);

    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: public
                  paths: [/public/**]
                  policy: bypass
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.simpleConfig("", POLICY));

    @Test
    void pipelinedRequestsAreDecidedOneByOneAndAnsweredInOrder() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(get("/public/a") + get("/secret") + get("/public/b"));

            RawResponse first = client.readResponse(WAIT);
            RawResponse second = client.readResponse(WAIT);
            RawResponse third = client.readResponse(WAIT);
            assertThat(List.of(first.status(), second.status(), third.status())).containsExactly(200, 403, 200);
            // The echo body names the target it served: the answers are not swapped.
            assertThat(first.bodyText()).contains("/public/a");
            assertThat(third.bodyText()).contains("/public/b");
            assertThat(client.isClosedByPeer(QUIET)).as("a denial keeps the connection").isFalse();
        }

        assertThat(requestLines(2)).containsExactly("GET /public/a HTTP/1.1", "GET /public/b HTTP/1.1");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void deniedRequestWithBodyIsRefusedAndItsBodyIsNeverReadAsARequest() throws Exception {
        // A refusal of a request with a body closes the connection (the gateway does not read a body it refused),
        // so the GET /secret inside the denied POST's body, and the POST behind it, are never decided or forwarded.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(post("/public/a", "one") + post("/secret", get("/secret")) + post("/public/b", "two"));

            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            RawResponse denied = client.readResponse(WAIT);
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }

        RecordedRequest first = gateway.upstream().takeRequest(WAIT);
        assertThat(first.requestLine()).isEqualTo("POST /public/a HTTP/1.1");
        assertThat(first.bodyText()).isEqualTo("one");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void traversalInAPipelinedRequestIsDecidedOnTheCanonicalPath() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(get("/public/a") + get("/public/../secret") + get("/public/%2e%2e/secret")
                    + get("/public/b"));

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(client.readResponse(WAIT).status());
            }
            assertThat(statuses).containsExactly(200, 403, 403, 200);
        }

        assertThat(requestLines(2)).containsExactly("GET /public/a HTTP/1.1", "GET /public/b HTTP/1.1");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void ambiguousPathBetweenPipelinedRequestsIsRefusedAloneAndTheNextIsServed() throws Exception {
        // A refused path is not a framing error: the connection still knows where the next request starts.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(get("/public/a") + get("/public/..%2Fsecret") + get("/public/b"));

            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(400);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }

        assertThat(requestLines(2)).containsExactly("GET /public/a HTTP/1.1", "GET /public/b HTTP/1.1");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void http10KeepAliveRequestsAreDecidedOneByOne() throws Exception {
        // HTTP/1.0 keeps the connection only when asked to; the last request does not ask, so the gateway closes.
        String keepAlive = "Connection: keep-alive\r\n";
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /public/a HTTP/1.0\r\nHost: app.test\r\n" + keepAlive + "\r\n"
                    + "GET /secret HTTP/1.0\r\nHost: app.test\r\n" + keepAlive + "\r\n"
                    + "GET /public/b HTTP/1.0\r\nHost: app.test\r\n\r\n"
                    + get("/public/never"));

            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(403);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }

        assertThat(requestLines(2)).containsExactly("GET /public/a HTTP/1.1", "GET /public/b HTTP/1.1");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void allowedRequestFollowedBySmugglingAttemptInTheSameWrite() throws Exception {
        // The first request is served; the CL.TE request behind it is refused with 400 and the connection closes,
        // so neither the GET /secret hidden in its body nor anything after it is ever read as a request.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(get("/public/a")
                    + "POST /public/x HTTP/1.1\r\nHost: app.test\r\nContent-Length: 6\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + get("/secret") + get("/public/b"));

            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(400);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }

        assertThat(requestLines(1)).containsExactly("GET /public/a HTTP/1.1");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void allowedRequestFollowedByTeClInTheSameWrite() throws Exception {
        String hidden = get("/secret");
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(get("/public/a")
                    + "POST /public/x HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n"
                    + "\r\n" + Integer.toHexString(hidden.length()) + "\r\n" + hidden + "\r\n0\r\n\r\n");

            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(400);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }

        assertThat(requestLines(1)).containsExactly("GET /public/a HTTP/1.1");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void malformedChunkInPipelinedRequestStopsTheConnection() throws Exception {
        // The chunked POST's head may already be streaming upstream when its bad chunk arrives: the gateway then
        // abandons that upstream request (never complete) and answers 400; the pipelined GET behind it is dropped.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(get("/public/a")
                    + "POST /public/x HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello0\r\n\r\n" + get("/public/b"));

            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(400);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }

        assertThat(requestLines(1)).containsExactly("GET /public/a HTTP/1.1");
        RecordedRequest cut = gateway.upstream().takeRequest(QUIET);
        if (cut != null) {
            assertThat(cut.requestLine()).isEqualTo("POST /public/x HTTP/1.1");
            assertThat(cut.complete()).isFalse();
        }
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void keepAliveAllowedDeniedAllowedOnOneConnection() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(get("/public/a"));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(requestLines(1)).containsExactly("GET /public/a HTTP/1.1");

            client.send(get("/secret"));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(403);
            assertThat(gateway.upstream().takeRequest(QUIET)).isNull();

            client.send(get("/public/b"));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(requestLines(1)).containsExactly("GET /public/b HTTP/1.1");

            client.send(get("/secret/../public/../secret"));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(403);
        }
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void policyIsNotCachedPerConnectionWhenTheHostChanges() throws Exception {
        // The first request opens the connection for app.test; a request for a host without a route on the same
        // connection is not sent to app.test's upstream.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(get("/public/a") + "GET /public/a HTTP/1.1\r\nHost: other.test\r\n\r\n" + get("/public/b"));

            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(404);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }

        List<RecordedRequest> received = new ArrayList<>();
        received.add(gateway.upstream().takeRequest(WAIT));
        received.add(gateway.upstream().takeRequest(WAIT));
        assertThat(received).allSatisfy(r -> assertThat(r.header("Host")).isEqualTo("app.test"));
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void pipelinedRequestsReachTheUpstreamOneAtATimeInOrder() throws Exception {
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            burst.append(get(i % 3 == 1 ? "/secret/" + i : "/public/" + i));
        }
        List<Integer> statuses = new ArrayList<>();
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(burst.toString());
            for (int i = 0; i < 10; i++) {
                statuses.add(client.readResponse(WAIT).status());
            }
        }

        assertThat(statuses).containsExactly(200, 403, 200, 200, 403, 200, 200, 403, 200, 200);
        assertThat(requestLines(7)).containsExactly("GET /public/0 HTTP/1.1", "GET /public/2 HTTP/1.1",
                "GET /public/3 HTTP/1.1", "GET /public/5 HTTP/1.1", "GET /public/6 HTTP/1.1",
                "GET /public/8 HTTP/1.1", "GET /public/9 HTTP/1.1");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    // --- helpers ---

    private List<String> requestLines(int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordedRequest next = gateway.upstream().takeRequest(WAIT);
            assertThat(next).as("request %d of %d reaches the upstream", i + 1, count).isNotNull();
            lines.add(next.requestLine());
        }
        return lines;
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: app.test\r\n\r\n";
    }

    private static String post(String target, String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body;
    }
}
