package org.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portcullis.admission.Admission;
import org.portcullis.admission.AdmissionContext;
import org.portcullis.admission.AdmissionPipeline;
import org.portcullis.admission.IdentityStage;
import org.portcullis.admission.SessionStage;
import org.portcullis.audit.NoopAuditSink;
import org.portcullis.config.PasswordHash;
import org.portcullis.identity.User;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.policy.AuthFactor;
import org.portcullis.pool.EmbeddedUpstreams;
import org.portcullis.pool.PinnedUpstreams;
import org.portcullis.session.Session;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionId;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.snapshot.TestSnapshots;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * One forwarded request between a client connection and an upstream connection, both on {@link EmbeddedChannel}s:
 * the exact head the upstream receives, the response the client gets, the upstream clock on the client's event loop,
 * and a WebSocket upgrade the upstream answers wrongly. The decision comes from the real admission stages; the
 * upstream connection has the handlers the pool gives a real one and is taken the way a held connection is taken.
 */
class ProxyExchangeTest {
    static final GatewaySnapshot SNAPSHOT = TestSnapshots.snapshot("""
            server:
              listeners:
                - address: 127.0.0.1:8080
            routes:
              - name: app
                host: app.test
                upstream: http://127.0.0.1:9
                upstream_timeout: 5s
            access_control:
              default_policy: deny
              rules:
                - id: public-pages
                  hosts: [app.test]
                  paths: [/public]
                  policy: bypass
                - id: staff
                  hosts: [app.test]
                  policy: two_factor
            """);
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    final MockTicker ticker = Ticker.newMockTicker();
    final EmbeddedChannel client = EmbeddedChannel.builder().ticker(ticker)
            .handlers(new HttpResponseEncoder(), new ChannelInboundHandlerAdapter()).build();
    final EmbeddedChannel upstream = new EmbeddedChannel();
    final SessionId id = SessionId.generate(new SecureRandom());
    final Owner owner = new Owner(client.pipeline().lastContext());

    /** The client connection's side, as the request cycle would answer the exchange. */
    static final class Owner implements ExchangeOwner {
        final ChannelHandlerContext ctx;
        final PinnedUpstreams pinned = new PinnedUpstreams();
        final List<String> finished = new ArrayList<>();
        Channel tunnel;

        Owner(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public String requestId() {
            return "test-request";
        }

        @Override
        public ChannelHandlerContext client() {
            return ctx;
        }

        @Override
        public void finished(ClientExchange exchange, int status, boolean close, String outcome) {
            finished.add(status + " " + (close ? "close" : "keep-alive") + " " + outcome);
        }

        @Override
        public PinnedUpstreams pinnedUpstreams() {
            return pinned;
        }

        @Override
        public void updateReading() {
        }

        @Override
        public void requestBodyComplete() {
        }

        @Override
        public void becomeTunnel(ProxyExchange exchange, Channel upstream) {
            tunnel = upstream;
        }
    }

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
    }

    ResolvedSession signedIn() {
        Session session = new Session(id.hash(), "alice", NOW, NOW, NOW.plusSeconds(1800), NOW.plusSeconds(43200),
                Map.of(AuthFactor.PASSWORD, NOW, AuthFactor.TOTP, NOW), Map.of(), 0);
        User alice = new User("alice", "Alice Smith", Optional.of("alice@example.org"), List.of("clinicians"), false,
                new PasswordHash(PasswordHash.MIN_MEMORY_KIB, 2, 1, new byte[16], new byte[32]));
        return new ResolvedSession(ResolvedSession.Status.SIGNED_IN, id, session, alice);
    }

    static HttpRequest request(String method, String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** The real stages' decision for {@code request}, with the store answering {@code session}. */
    Admission.Forward admit(HttpRequest request, ResolvedSession session) {
        AdmissionPipeline stages = AdmissionPipeline.standard(new SessionStage(
                (cookie, config) -> CompletableFuture.completedFuture(session), NoopAuditSink.INSTANCE),
                new IdentityStage(new UpstreamIdentity(null)));
        List<Admission> decided = new ArrayList<>();
        ConnectionInfo info = new ConnectionInfo(new InetSocketAddress("192.0.2.7", 50000), false, 8080, List.of());
        stages.admit(AdmissionContext.start("req-1", request, info, SNAPSHOT, false), client.eventLoop(),
                decided::add);
        assertThat(decided).singleElement().isInstanceOf(Admission.Forward.class);
        return (Admission.Forward) decided.get(0);
    }

    /**
     * Starts the exchange on the held embedded upstream and ends the (bodiless) request, as the decoder does. A
     * signed-in caller's request carries the gateway's cookie (the store is only asked about a found cookie).
     */
    ProxyExchange forward(HttpRequest request, ResolvedSession session) {
        if (session.signedIn() && !request.headers().contains("Cookie")) {
            request.headers().add("Cookie", SessionCookie.NAME + "=" + id.cookieValue());
        }
        Admission.Forward forward = admit(request, session);
        EmbeddedUpstreams.heldIn(owner.pinned, SNAPSHOT.pool(forward.route()), upstream,
                session.signedIn() ? session.id() : null);
        ProxyExchange exchange = new ProxyExchange(owner, forward, request);
        exchange.start();
        exchange.onRequestBody(LastHttpContent.EMPTY_LAST_CONTENT);
        return exchange;
    }

    static String text(EmbeddedChannel channel) {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            ByteBuf bytes = (ByteBuf) msg;
            out.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return out.toString();
    }

    /** The head's lines, each header name lower-cased (canonical headers are, the identity writer's are not). */
    static List<String> headLines(String head) {
        List<String> lines = new ArrayList<>();
        for (String line : head.split("\r\n", -1)) {
            int colon = line.indexOf(':');
            lines.add(colon < 0 ? line : line.substring(0, colon).toLowerCase(java.util.Locale.ROOT)
                    + line.substring(colon));
        }
        return lines;
    }

    void upstreamAnswers(String response) {
        upstream.writeInbound(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1));
    }

    void advance(Duration by) {
        ticker.advance(by.toNanos(), TimeUnit.NANOSECONDS);
        client.runScheduledPendingTasks();
    }

    @Test
    void upstreamReceivesExactlyTheForwardedHead() {
        forward(request("GET", "/records?x=1", "Host", "app.test", "Remote-User", "mallory",
                "Cookie", "theme=dark; " + SessionCookie.NAME + "=" + id.cookieValue()), signedIn());

        String received = text(upstream);

        assertThat(received).startsWith("GET /records?x=1 HTTP/1.1\r\n").endsWith("\r\n\r\n");
        assertThat(headLines(received)).contains("host: app.test", "remote-user: alice", "cookie: theme=dark");
        assertThat(received).doesNotContain("mallory", "portcullis", id.cookieValue());
        assertThat(headLines(received)).filteredOn(line -> line.startsWith("remote-user:")).hasSize(1);
    }

    @Test
    void bypassedRequestReachesTheUpstreamWithoutIdentity() {
        forward(request("GET", "/public", "Host", "app.test", "Remote-User", "mallory"), signedIn());

        assertThat(text(upstream)).doesNotContainIgnoringCase("remote-user");
    }

    @Test
    void responseIsRelayedAndTheExchangeEndsForwarded() {
        forward(request("GET", "/records", "Host", "app.test"), signedIn());
        text(upstream);

        upstreamAnswers("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-App: yes\r\n\r\nok");
        String received = text(client);

        assertThat(received).startsWith("HTTP/1.1 200 OK\r\n").contains("X-App: yes").endsWith("\r\n\r\nok");
        assertThat(owner.finished).containsExactly("200 keep-alive FORWARDED");
    }

    @Test
    void upstreamThatDoesNotAnswerInTimeIs504() {
        ProxyExchange exchange = forward(request("GET", "/records", "Host", "app.test"), signedIn());

        advance(Duration.ofMillis(4999));
        assertThat(text(client)).isEmpty();
        assertThat(owner.finished).isEmpty();
        advance(Duration.ofMillis(2));

        assertThat(text(client)).startsWith("HTTP/1.1 504 ");
        assertThat(owner.finished).containsExactly("504 keep-alive UPSTREAM_TIMEOUT");
        assertThat(exchange.outcome()).isEqualTo(ExchangeOutcome.UPSTREAM_TIMEOUT);
        assertThat(upstream.isOpen()).as("never reused after a timeout").isFalse();
    }

    @Test
    void eachPieceOfTheResponseMovesTheUpstreamClock() {
        forward(request("GET", "/records", "Host", "app.test"), signedIn());
        upstreamAnswers("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab");
        advance(Duration.ofSeconds(4));
        upstreamAnswers("c");
        advance(Duration.ofSeconds(4));
        assertThat(owner.finished).isEmpty();

        advance(Duration.ofSeconds(2));

        assertThat(owner.finished).containsExactly("504 close UPSTREAM_TIMEOUT");
        assertThat(client.isOpen()).as("a response already started can only be cut").isFalse();
    }

    HttpRequest upgrade() {
        return request("GET", "/socket", "Host", "app.test", "Connection", "Upgrade", "Upgrade", "websocket",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13", "Origin", "http://app.test");
    }

    @Test
    void switchingProtocolsWithAWrongAcceptIs502AndNoTunnel() {
        forward(upgrade(), signedIn());
        assertThat(headLines(text(upstream))).contains("upgrade: websocket", "sec-websocket-key: " + KEY);

        upstreamAnswers("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketHandshake.expectedAccept("another key") + "\r\n\r\n");

        assertThat(text(client)).startsWith("HTTP/1.1 502 ");
        assertThat(owner.finished).containsExactly("502 keep-alive UPSTREAM_ERROR");
        assertThat(owner.tunnel).isNull();
        assertThat(upstream.isOpen()).isFalse();
    }

    @Test
    void switchingProtocolsWithTheRightAcceptBecomesATunnel() {
        forward(upgrade(), signedIn());
        text(upstream);

        upstreamAnswers("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketHandshake.expectedAccept(KEY) + "\r\n\r\n");

        assertThat(text(client)).startsWith("HTTP/1.1 101 ");
        assertThat(owner.tunnel).isSameAs(upstream);
        assertThat(owner.finished).isEmpty();
    }
}
