package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
import org.portcullis.fixtures.RawResponse;
import org.portcullis.identity.UsersFileReloader;
import org.portcullis.fixtures.WebSocketTestClient;

/**
 * A WebSocket tunnel ends within a second of the end of the session that opened it (SECURITY-RULES 5 and 23):
 * sign-out at the portal, revocation by {@code portcullis sessions revoke} (its own store connection, as another
 * process has), the idle timeout on the injected clock, the user's removal from the users file; traffic in the tunnel
 * counts as activity. The time from the end of the session to the client seeing its tunnel closed is measured.
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
        return openTunnel(gateway.signIn(user, password, "https://app.test:" + gateway.port + "/"));
    }

    /** A WebSocket to app.test of the sign-in {@code portal}, open and echoing. */
    RawHttpClient openTunnel(SignInGateway.SignIn portal) throws Exception {
        return openTunnel(gateway, gateway.callback(portal.location()).cookie());
    }

    /** A WebSocket to app.test with the session cookie pair {@code appCookie}, open and echoing. */
    static RawHttpClient openTunnel(SignInGateway gateway, String appCookie) throws Exception {
        RawHttpClient client = RawHttpClient.connectTls(gateway.port, gateway.certs, "app.test");
        String key = WebSocketTestClient.newKey();
        client.send("GET " + WS + " HTTP/1.1\r\nHost: app.test:" + gateway.port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: https://app.test:" + gateway.port + "\r\nCookie: " + appCookie + "\r\n\r\n");
        assertThat(client.readResponse(WAIT).status()).isEqualTo(101);
        client.send(WebSocketTestClient.maskedTextFrame("ping"));
        assertThat(client.readWebSocketFrame(WAIT).text()).isEqualTo("ping");
        return client;
    }

    /** How long after {@code from} the gateway closed {@code client}'s tunnel; fails if not within two seconds. */
    static Duration closedAfter(RawHttpClient client, long from) {
        assertThat(client.isClosedByPeer(Duration.ofSeconds(2))).as("tunnel closed").isTrue();
        return Duration.ofNanos(System.nanoTime() - from);
    }

    LiveStreams liveStreams() {
        return gateway.server.signIn().orElseThrow().liveStreams();
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
            long revoked = System.nanoTime();
            assertThat(exit).isZero();

            assertThat(closedAfter(alice, revoked)).isLessThan(Duration.ofSeconds(1));
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

    @Test
    void signingOutAtThePortalCutsTheTunnelAtOnce() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD,
                "https://app.test:" + gateway.port + "/");
        try (RawHttpClient alice = openTunnel(portal);
             RawHttpClient bob = openTunnel("bob", SignInGateway.BOB_PASSWORD)) {
            RawResponse account = gateway.navigate("login.test", "/.portcullis/", portal.cookie());
            String token = account.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
            RawResponse out = gateway.send("POST", "login.test", "/.portcullis/logout", "Origin: "
                    + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + portal.cookie()
                    + "\r\n", "csrf=" + SignInGateway.encode(token));
            long signedOut = System.nanoTime();
            assertThat(out.status()).isEqualTo(200);
            // Cut by the sign-out itself, before its page was sent: not left to the watch's next check.
            assertThat(liveStreams().entries()).noneMatch(entry -> entry.user().equals("alice"));

            assertThat(closedAfter(alice, signedOut)).isLessThan(Duration.ofSeconds(1));
            bob.send(WebSocketTestClient.maskedTextFrame("still here"));
            assertThat(bob.readWebSocketFrame(WAIT).text()).isEqualTo("still here");
        }
    }

    @Test
    void theIdleTimeoutPassingOnTheClockCutsASilentTunnelWithinASecond() throws Exception {
        try (RawHttpClient silent = openTunnel("alice", SignInGateway.PASSWORD)) {
            clock.advance(Duration.ofMinutes(31));
            long expired = System.nanoTime();
            assertThat(closedAfter(silent, expired)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void removingTheUserFromTheUsersFileCutsTheirTunnelWithinASecond() throws Exception {
        Path users = gateway.dir.resolve("users.yaml");
        String before = Files.readString(users);
        try (RawHttpClient alice = openTunnel("alice", SignInGateway.PASSWORD);
             RawHttpClient bob = openTunnel("bob", SignInGateway.BOB_PASSWORD)) {
            String withoutAlice = before.replaceAll("(?s)  - username: alice\n.*?(?=  - username: bob)", "");
            assertThat(withoutAlice).doesNotContain("username: alice").contains("username: bob");
            Files.writeString(users, withoutAlice);
            assertThat(gateway.server.signIn().orElseThrow().usersReloader().reload())
                    .isEqualTo(UsersFileReloader.Outcome.APPLIED);
            long removed = System.nanoTime();
            // Cut by the reload itself, not left to the watch's next check.
            assertThat(liveStreams().entries()).noneMatch(entry -> entry.user().equals("alice"));

            assertThat(closedAfter(alice, removed)).isLessThan(Duration.ofSeconds(1));
            bob.send(WebSocketTestClient.maskedTextFrame("still here"));
            assertThat(bob.readWebSocketFrame(WAIT).text()).isEqualTo("still here");
        } finally {
            Files.writeString(users, before);
            gateway.server.signIn().orElseThrow().usersReloader().reload();
        }
    }

    @Test
    void theRegistryNamesEachTunnelsUserRouteTargetAndOpeningTime() throws Exception {
        try (RawHttpClient alice = openTunnel("alice", SignInGateway.PASSWORD)) {
            assertThat(liveStreams().entries()).anySatisfy(entry -> {
                assertThat(entry.user()).isEqualTo("alice");
                assertThat(entry.route()).isEqualTo("app");
                assertThat(entry.target()).isEqualTo("app.test" + WS);
                assertThat(entry.openedAt()).isEqualTo(clock.instant());
            });
        }
    }
}
