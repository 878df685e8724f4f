package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
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
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.fixtures.WebSocketFrame;
import org.portcullis.fixtures.WebSocketTestClient;

/**
 * SECURITY-RULES 5 end to end, the "h2c and WebSocket upgrade smuggling" class: the gateway tunnels only after the
 * upstream answered 101 with the right {@code Sec-WebSocket-Accept}, never passes {@code Upgrade: h2c} on, never
 * turns into a blind tunnel for an upstream that switches protocols on its own, and checks the WebSocket
 * {@code Origin}. The upstream chooses its answer per request through {@code /misbehave/<behaviour>/...}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class UpgradeTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final String OWN_ORIGIN = "http://app.test";
    private static final String PORTAL_ORIGIN = "https://portal.example.org";
    private static final String WS_ACCEPT = "/misbehave/websocket-accept/chat";
    private static final String WS_WRONG_ACCEPT = "/misbehave/websocket-wrong-accept/chat";
    private static final String H2C_ACCEPT = "/misbehave/h2c-upgrade-accept/h2c";
    private static final String H2C_SETTINGS = "AAMAAABkAARAAAAAAAIAAAAA";

    /**
     * Two routes: one with the default origin rule, one that allows only the portal; /admin is denied. A short
     * header-read timeout turns bytes that never form a request head (WebSocket frames) into a quick 408.
     */
    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            limits:
              header_read_timeout: 500ms
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
              - name: ws
                host: ws.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
                websocket_origins: [https://portal.example.org]
            access_control:
              default_policy: bypass
              rules:
                - id: no-admin
                  paths: [/admin, /admin/**]
                  policy: deny
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(CONFIG);

    // ---- WebSocket ----

    @Test
    void webSocketTunnelOpensAfterAValid101AndEchoesFrames() throws Exception {
        String key = WebSocketTestClient.newKey();
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(WebSocketTestClient.upgradeRequest("app.test", WS_ACCEPT, key, OWN_ORIGIN));

            RawResponse switched = client.readResponse(WAIT);
            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.header("Sec-WebSocket-Accept")).isEqualTo(WebSocketTestClient.acceptFor(key));
            assertThat(switched.header("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(switched.header("Connection")).isEqualToIgnoringCase("upgrade");

            client.send(WebSocketTestClient.maskedTextFrame("hello through the gateway"));
            WebSocketFrame echoed = client.readWebSocketFrame(WAIT);
            assertThat(echoed.opcode()).isEqualTo(WebSocketTestClient.OPCODE_TEXT);
            assertThat(echoed.text()).isEqualTo("hello through the gateway");

            client.send(WebSocketTestClient.maskedTextFrame("and a second one"));
            assertThat(client.readWebSocketFrame(WAIT).text()).isEqualTo("and a second one");
        }
        RecordedRequest handshake = gateway.upstream().takeRequest(WAIT);
        assertThat(handshake.requestLine()).isEqualTo("GET " + WS_ACCEPT + " HTTP/1.1");
        assertThat(handshake.headers("Upgrade")).containsExactly("websocket");
        assertThat(handshake.headers("Connection")).containsExactly("upgrade");
        assertThat(handshake.headers("Sec-WebSocket-Key")).containsExactly(key);
        assertThat(handshake.headers("Sec-WebSocket-Version")).containsExactly("13");
    }

    static Stream<Arguments> gatewayCookiesOnA101() {
        return Stream.of(
                // the session cookie itself (session fixation through the upgrade)
                Arguments.of("__Host-portcullis=planted-by-upstream; Path=/; Secure; HttpOnly; SameSite=Lax"),
                // deleting the session (a forced sign-out), in another case
                Arguments.of("__HOST-PORTCULLIS=; Max-Age=0; Path=/; Secure"),
                // the portal's login CSRF cookie (CsrfCookie.NAME)
                Arguments.of("__Host-portcullis-csrf=planted; Path=/; Secure; HttpOnly; SameSite=Strict"),
                // any later cookie of the gateway's family
                Arguments.of("__host-portcullis-next=x; Path=/; Secure"));
    }

    /** SECURITY-RULES 11: an upstream may not set the gateway's cookies, also not on the {@code 101} of an upgrade. */
    @ParameterizedTest
    @MethodSource("gatewayCookiesOnA101")
    void aSwitchingProtocolsResponseNeverSetsTheGatewaysCookies(String setCookie) throws Exception {
        String key = WebSocketTestClient.newKey();
        String target = WS_ACCEPT + "?Set-Cookie=" + java.net.URLEncoder.encode(setCookie,
                java.nio.charset.StandardCharsets.ISO_8859_1) + "&Set-Cookie=app-theme%3Ddark%3B%20Path%3D%2F";
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(WebSocketTestClient.upgradeRequest("app.test", target, key, OWN_ORIGIN));
            RawResponse switched = client.readResponse(WAIT);
            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.headers("Set-Cookie")).containsExactly("app-theme=dark; Path=/");
            assertThat(switched.head().toLowerCase(Locale.ROOT)).doesNotContain("portcullis");

            client.send(WebSocketTestClient.maskedTextFrame("still a tunnel"));
            assertThat(client.readWebSocketFrame(WAIT).text()).isEqualTo("still a tunnel");
        }
        assertThat(gateway.upstream().takeRequest(WAIT).target()).isEqualTo(target);
    }

    @Test
    void wrongSecWebSocketAcceptGives502AndNothingIsTunnelled() throws Exception {
        String key = WebSocketTestClient.newKey();
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(WebSocketTestClient.upgradeRequest("app.test", WS_WRONG_ACCEPT, key, OWN_ORIGIN));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(502);

            // A client that believes it is tunnelled sends frames; the gateway reads them as HTTP: they never
            // form a request head, so the header-read clock ends the connection with 408.
            sendQuietly(client, WebSocketTestClient.maskedTextFrame("GET /admin HTTP/1.1\r\nHost: app.test\r\n\r\n"));
            assertRefusedOrClosed(client);
        }
        RecordedRequest handshake = gateway.upstream().takeRequest(WAIT);
        assertThat(handshake.path()).isEqualTo(WS_WRONG_ACCEPT);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    @Test
    void requestPipelinedBehindARefusedUpgradeGoesThroughThePolicy() throws Exception {
        String key = WebSocketTestClient.newKey();
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            // Smuggling attempt: the second request is sent at once, hoping to ride a blind tunnel to the upstream.
            client.send(WebSocketTestClient.upgradeRequest("app.test", WS_WRONG_ACCEPT, key, OWN_ORIGIN)
                    + "GET /admin HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(502);
            assertRefusedOrClosed(client);
        }
        assertThat(gateway.upstream().takeRequest(WAIT).path()).isEqualTo(WS_WRONG_ACCEPT);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    static Stream<Arguments> refusedHandshakes() {
        String key = WebSocketTestClient.newKey();
        String base = "GET /chat HTTP/1.1\r\nHost: app.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n";
        return Stream.of(
                // Cross-Site WebSocket Hijacking: a foreign page opens a socket with the user's cookies
                Arguments.of(base + "Sec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n", 403),
                // a look-alike of the own host under another registrable domain
                Arguments.of(base + "Sec-WebSocket-Version: 13\r\nOrigin: http://app.test.evil.example\r\n\r\n", 403),
                // the own host on another port is another origin
                Arguments.of(base + "Sec-WebSocket-Version: 13\r\nOrigin: http://app.test:8080\r\n\r\n", 403),
                // the own host with another scheme is another origin
                Arguments.of(base + "Sec-WebSocket-Version: 13\r\nOrigin: https://app.test\r\n\r\n", 403),
                // no Origin at all: not a browser we can reason about, refused
                Arguments.of(base + "Sec-WebSocket-Version: 13\r\n\r\n", 403),
                // "null" origin: sandboxed iframes and file: pages
                Arguments.of(base + "Sec-WebSocket-Version: 13\r\nOrigin: null\r\n\r\n", 403),
                // two Origin fields: which one would the upstream check?
                Arguments.of(base + "Sec-WebSocket-Version: 13\r\nOrigin: http://app.test\r\nOrigin: https://evil"
                        + ".example\r\n\r\n", 403),
                // an old draft version: only RFC 6455 (13) is spoken
                Arguments.of(base + "Sec-WebSocket-Version: 8\r\nOrigin: http://app.test\r\n\r\n", 400),
                // a body on an upgrade would be frames to one side and a body to the other
                Arguments.of(base + "Sec-WebSocket-Version: 13\r\nOrigin: http://app.test\r\n"
                        + "Content-Length: 5\r\n\r\nhello", 400),
                // an upgrade with POST is not a WebSocket handshake
                Arguments.of(base.replace("GET ", "POST ") + "Sec-WebSocket-Version: 13\r\n"
                        + "Origin: http://app.test\r\n\r\n", 400),
                // a key that is not 16 bytes of base64
                Arguments.of(base.replace(key, "c2hvcnQ=") + "Sec-WebSocket-Version: 13\r\n"
                        + "Origin: http://app.test\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("refusedHandshakes")
    void refusedHandshakeNeverReachesTheUpstream(String request, int status) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                request.replace("/chat", "/misbehave/websocket-accept/chat"));

        assertThat(response.status()).isEqualTo(status);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    @Test
    void configuredWebSocketOriginIsAllowedAndReplacesTheOwnOrigin() throws Exception {
        String key = WebSocketTestClient.newKey();
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(WebSocketTestClient.upgradeRequest("ws.test", WS_ACCEPT, key, PORTAL_ORIGIN));
            RawResponse switched = client.readResponse(WAIT);
            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.header("Sec-WebSocket-Accept")).isEqualTo(WebSocketTestClient.acceptFor(key));
            client.send(WebSocketTestClient.maskedTextFrame("from the portal"));
            assertThat(client.readWebSocketFrame(WAIT).text()).isEqualTo("from the portal");
        }
        assertThat(gateway.upstream().takeRequest(WAIT).header("Origin")).isEqualTo(PORTAL_ORIGIN);

        // With a configured list, the route's own origin is no longer enough.
        RawResponse own = RawHttpClient.exchange(gateway.port(),
                WebSocketTestClient.upgradeRequest("ws.test", WS_ACCEPT, WebSocketTestClient.newKey(),
                        "http://ws.test"));
        assertThat(own.status()).isEqualTo(403);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    // ---- h2c ----

    @Test
    void h2cUpgradeIsNeverForwardedAndTheRequestGoesOnAsHttp11() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /h2c HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: " + H2C_SETTINGS + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /h2c HTTP/1.1");
        assertThat(received.headers("Upgrade")).isEmpty();
        assertThat(received.headers("HTTP2-Settings")).isEmpty();
        assertThat(received.headers("Connection")).allSatisfy(value ->
                assertThat(value.toLowerCase(Locale.ROOT)).doesNotContain("upgrade", "http2-settings"));
        assertThat(received.headers()).allSatisfy(field -> assertThat(field.getValue().toLowerCase(Locale.ROOT))
                .doesNotContain("h2c", H2C_SETTINGS.toLowerCase(Locale.ROOT)));
    }

    @Test
    void upstreamSwitchingToH2cOnItsOwnGets502AndNoRequestIsTunnelled() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET " + H2C_ACCEPT + " HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: " + H2C_SETTINGS + "\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(502);

            // The h2c smuggling step: a request the policy denies, hoping the connection is now a tunnel.
            sendQuietly(client, "GET /admin HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertRefusedOrClosed(client);
        }
        RecordedRequest first = gateway.upstream().takeRequest(WAIT);
        assertThat(first.path()).isEqualTo(H2C_ACCEPT);
        assertThat(first.headers("Upgrade")).isEmpty();
        // The fixture keeps parsing requests after its 101: a tunnelled /admin would be recorded here.
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
        assertThat(gateway.upstream().requests()).extracting(RecordedRequest::path).doesNotContain("/admin");
    }

    @Test
    void requestPipelinedBehindAnH2cUpgradeIsNotTunnelled() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET " + H2C_ACCEPT + " HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: " + H2C_SETTINGS + "\r\n\r\n"
                    + "GET /admin/users HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(502);
            assertRefusedOrClosed(client);
        }
        assertThat(gateway.upstream().takeRequest(WAIT).path()).isEqualTo(H2C_ACCEPT);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
        assertThat(gateway.upstream().requests()).extracting(RecordedRequest::path).doesNotContain("/admin/users");
    }

    @Test
    void http2PriorKnowledgePrefaceIsRefused() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

        assertThat(response.status()).isBetween(400, 505);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    /** Sends bytes the gateway may already have answered by closing; a reset there is an acceptable outcome. */
    private static void sendQuietly(RawHttpClient client, Object bytes) {
        try {
            if (bytes instanceof String text) {
                client.send(text);
            } else {
                client.send((byte[]) bytes);
            }
        } catch (IOException closedAlready) {
            // the gateway closed the connection: nothing can be tunnelled either
        }
    }

    /**
     * The next thing on the connection is a 4xx refusal from the gateway itself, or the connection ends; a
     * connection that just stays silent fails the test.
     */
    private static void assertRefusedOrClosed(RawHttpClient client) throws IOException {
        RawResponse next;
        try {
            next = client.readResponse(WAIT);
        } catch (SocketTimeoutException silent) {
            throw silent;
        } catch (IOException closed) {
            return;
        }
        assertThat(next.status()).isBetween(400, 499);
        assertThat(next.header("X-Upstream-Connection")).isNull();
    }
}
