package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.WebSocketTestClient;

/**
 * A WebSocket tunnel ends when the session that opened it ends (SECURITY-RULES 5): revocation, sign-out and the idle
 * timeout; traffic in the tunnel counts as activity. The watch runs every few seconds; tests run its check at once
 * ({@code checkNow}) after moving the injected clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TunnelSessionTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String WS = "/misbehave/websocket-accept/console";

    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    /** A signed-in WebSocket to app.test, open and echoing. */
    RawHttpClient openTunnel(String user, String password) throws Exception {
        SignInGateway.SignIn portal = gateway.signIn(user, password, "https://app.test:" + gateway.port + "/");
        SignInGateway.SignIn app = gateway.callback(portal.location());
        RawHttpClient client = RawHttpClient.connectTls(gateway.port, gateway.certs, "app.test");
        String key = WebSocketTestClient.newKey();
        client.send("GET " + WS + " HTTP/1.1\r\nHost: app.test:" + gateway.port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: https://app.test:" + gateway.port + "\r\nCookie: " + app.cookie() + "\r\n\r\n");
        assertThat(client.readResponse(WAIT).status()).isEqualTo(101);
        client.send(WebSocketTestClient.maskedTextFrame("ping"));
        assertThat(client.readWebSocketFrame(WAIT).text()).isEqualTo("ping");
        return client;
    }

    int check() {
        return gateway.server.runtime().tunnels().orElseThrow().checkNow().join();
    }

    @Test
    void revokingTheUsersSessionsClosesTheirTunnelAndNoOneElses() throws Exception {
        try (RawHttpClient alice = openTunnel("alice", SignInGateway.PASSWORD);
             RawHttpClient bob = openTunnel("bob", SignInGateway.BOB_PASSWORD)) {
            int exit = PortcullisMain.commandLine().execute("sessions", "revoke", "--user", "alice",
                    "--data-dir", gateway.dataDir.toString());
            assertThat(exit).isZero();

            check();
            assertThat(alice.isClosedByPeer(WAIT)).isTrue();
            bob.send(WebSocketTestClient.maskedTextFrame("still here"));
            assertThat(bob.readWebSocketFrame(WAIT).text()).isEqualTo("still here");
        }
    }

    @Test
    void aSilentTunnelEndsWithTheIdleTimeoutAndABusyOneDoesNot() throws Exception {
        try (RawHttpClient silent = openTunnel("alice", SignInGateway.PASSWORD);
             RawHttpClient busy = openTunnel("bob", SignInGateway.BOB_PASSWORD)) {
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofMinutes(12));
                busy.send(WebSocketTestClient.maskedTextFrame("typing " + i));
                assertThat(busy.readWebSocketFrame(WAIT).text()).isEqualTo("typing " + i);
                check();
            }
            // 48 minutes: the silent one's last activity was its opening frame, counted at the first check (minute 12),
            // so it passed its 30-minute idle timeout; the busy one kept its session alive all along.
            assertThat(silent.isClosedByPeer(WAIT)).isTrue();
            busy.send(WebSocketTestClient.maskedTextFrame("after 48 minutes"));
            assertThat(busy.readWebSocketFrame(WAIT).text()).isEqualTo("after 48 minutes");
        }
    }
}
