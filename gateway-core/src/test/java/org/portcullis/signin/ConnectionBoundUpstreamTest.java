package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NettyRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * SECURITY-RULES 21, "connection-bound upstream auth reuse": in front of an IIS-like upstream whose NTLM/Negotiate
 * login belongs to the TCP connection ({@link EchoUpstream#windowsAuthentication}), no client is ever served on an
 * upstream connection another client's login (or challenge) went over, in both directions: the victim's login handed
 * to an attacker, and the attacker's login handed to a victim. Judged by what the upstream saw on which of its TCP
 * connections ({@link RecordedRequest#connectionIndex()}).
 *
 * <p>The gateway keeps idle upstream connections per event loop, and a client connection lands on one of
 * {@link NettyRuntime#availableProcessors()} loops; so the attacker tries from twice that many connections, one of
 * which shares the victim's loop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ConnectionBoundUpstreamTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String APP = "app.test";

    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    String alice;
    String bob;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock);
        gateway.upstream.windowsAuthentication(true);
        alice = appCookie("alice", SignInGateway.PASSWORD);
        bob = appCookie("bob", SignInGateway.BOB_PASSWORD);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        gateway.drainUpstream();
    }

    String appCookie(String user, String password) throws Exception {
        SignInGateway.SignIn portal = gateway.signIn(user, password, "https://app.test:" + gateway.port + "/");
        return gateway.callback(portal.location()).cookie();
    }

    RawHttpClient connect() throws Exception {
        return RawHttpClient.connectTls(gateway.port, gateway.certs, APP);
    }

    /** One keep-alive GET on {@code client}; {@code extra} are header lines (each ending in CRLF). */
    RawResponse get(RawHttpClient client, String path, String cookie, String extra) throws Exception {
        client.send("GET " + path + " HTTP/1.1\r\nHost: app.test:" + gateway.port + "\r\n"
                + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + extra + "\r\n");
        return client.readResponse(WAIT);
    }

    /** The request the upstream received for the last exchange. */
    RecordedRequest upstreamSaw() {
        RecordedRequest request = gateway.upstream.takeRequest(WAIT);
        assertThat(request).as("the upstream received the request").isNotNull();
        return request;
    }

    /** Logs {@code client}'s upstream connection in as {@code user}; returns that upstream connection's index. */
    int windowsLogin(RawHttpClient client, String path, String cookie, String scheme, String user) throws Exception {
        RawResponse answer = get(client, path, cookie, "Authorization: " + scheme + " " + user + "\r\n");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Windows-User")).isEqualTo(user);
        return upstreamSaw().connectionIndex();
    }

    /**
     * Sends {@code path} (with {@code cookie}, no credentials) from one fresh client connection per event loop and
     * more; asserts none of them reached upstream connection {@code bound} or was served as a logged-in user.
     */
    void noFreshClientIsServedOn(int bound, String path, String cookie) throws Exception {
        List<RawHttpClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * NettyRuntime.availableProcessors(); i++) {
                RawHttpClient client = connect();
                clients.add(client);
                RawResponse answer = get(client, path, cookie, "");
                RecordedRequest seen = upstreamSaw();
                assertThat(seen.connectionIndex()).as("upstream connection of fresh client %d", i).isNotEqualTo(bound);
                assertThat(answer.header("X-Windows-User")).as("served as").isNull();
                assertThat(answer.status()).isEqualTo(401);
            }
        } finally {
            for (RawHttpClient client : clients) {
                client.close();
            }
        }
    }

    static Stream<Arguments> victimToAttacker() {
        List<Arguments> rows = new ArrayList<>();
        for (String scheme : List.of("NTLM", "Negotiate")) {
            for (String attacker : List.of("anonymous-bypass", "bob")) {
                for (boolean victimStays : List.of(true, false)) {
                    rows.add(Arguments.of(scheme, attacker, victimStays));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}, attacker {1}, victim connection open: {2}")
    @MethodSource("victimToAttacker")
    void aVictimsWindowsLoginIsNeverServedToAnotherClient(String scheme, String attacker, boolean victimStays)
            throws Exception {
        RawHttpClient victim = connect();
        int bound = windowsLogin(victim, "/records", alice, scheme, "alice");
        if (!victimStays) {
            victim.close();
        }
        try {
            if (attacker.equals("bob")) {
                noFreshClientIsServedOn(bound, "/records", bob);
            } else {
                noFreshClientIsServedOn(bound, "/public/records", null);
            }
        } finally {
            victim.close();
        }
    }

    @ParameterizedTest(name = "{0}, attacker connection open: {1}")
    @MethodSource("attackerToVictim")
    void anAttackersWindowsLoginIsNeverServedToTheVictim(String scheme, boolean attackerStays) throws Exception {
        // Anonymous on a bypassed path, the attacker logs an upstream connection in as themself...
        RawHttpClient attacker = connect();
        int bound = windowsLogin(attacker, "/public/upload", null, scheme, "mallory");
        if (!attackerStays) {
            attacker.close();
        }
        try {
            // ...hoping the victim's next request lands on it and is filed under mallory's account.
            noFreshClientIsServedOn(bound, "/records", alice);
        } finally {
            attacker.close();
        }
    }

    static Stream<Arguments> attackerToVictim() {
        return Stream.of(Arguments.of("NTLM", true), Arguments.of("NTLM", false),
                Arguments.of("Negotiate", true), Arguments.of("Negotiate", false));
    }

    @Test
    void theNtlmHandshakeStaysOnOneUpstreamConnectionAndNobodyElseGetsIt() throws Exception {
        try (RawHttpClient victim = connect()) {
            RawResponse first = get(victim, "/records", alice, "");
            assertThat(first.status()).isEqualTo(401);
            assertThat(first.headers("WWW-Authenticate")).contains("NTLM", "Negotiate");
            int bound = upstreamSaw().connectionIndex();

            // Between the challenge and the login, every other client stays off that connection.
            noFreshClientIsServedOn(bound, "/records", bob);

            RawResponse challenge = get(victim, "/records", alice,
                    "Authorization: NTLM " + EchoUpstream.NTLM_NEGOTIATE_TOKEN + "\r\n");
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.header("WWW-Authenticate")).isEqualTo("NTLM challenge-" + bound);
            assertThat(upstreamSaw().connectionIndex()).isEqualTo(bound);

            assertThat(windowsLogin(victim, "/records", alice, "NTLM", "alice")).isEqualTo(bound);
            RawResponse later = get(victim, "/records/42", alice, "");
            assertThat(later.header("X-Windows-User")).isEqualTo("alice");
            assertThat(upstreamSaw().connectionIndex()).isEqualTo(bound);

            noFreshClientIsServedOn(bound, "/public/records", null);
        }
    }

    @Test
    void aHeldConnectionClosesWithItsClientConnection() throws Exception {
        RawHttpClient victim = connect();
        int bound = windowsLogin(victim, "/records", alice, "NTLM", "alice");
        assertThat(gateway.upstream.connectionEnded(bound)).isFalse();
        victim.close();
        assertThat(gateway.upstream.awaitConnectionEnded(bound, WAIT)).isTrue();
    }

    @Test
    void aHeldConnectionClosesWhenItsSessionIsSignedOutWhileTheClientConnectionStaysOpen() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD,
                "https://app.test:" + gateway.port + "/");
        String cookie = gateway.callback(portal.location()).cookie();
        try (RawHttpClient victim = connect()) {
            int bound = windowsLogin(victim, "/records", cookie, "NTLM", "alice");
            RawResponse account = gateway.navigate("login.test", "/.portcullis/", portal.cookie());
            String token = account.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
            RawResponse out = gateway.send("POST", "login.test", "/.portcullis/logout", "Origin: "
                    + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + portal.cookie()
                    + "\r\n", "csrf=" + SignInGateway.encode(token));
            assertThat(out.status()).isEqualTo(200);

            // Closed by the sign-out itself, while the client connection is still open and sends nothing.
            assertThat(gateway.upstream.awaitConnectionEnded(bound, Duration.ofSeconds(1))).isTrue();
            assertThat(victim.isClosedByPeer(Duration.ofMillis(100))).isFalse();
        }
    }

    @Test
    void aHeldConnectionClosesWhenTheUsersSessionsAreRevokedFromTheCommandLine() throws Exception {
        try (RawHttpClient victim = connect()) {
            int bound = windowsLogin(victim, "/records", bob, "Negotiate", "bob");
            int exit = PortcullisMain.commandLine().execute("sessions", "revoke", "--user", "bob",
                    "--data-dir", gateway.dataDir.toString());
            assertThat(exit).isZero();

            // Another process wrote the store: this node's store watch hears it and closes the held connection.
            assertThat(gateway.upstream.awaitConnectionEnded(bound, Duration.ofSeconds(1))).isTrue();
            assertThat(victim.isClosedByPeer(Duration.ofMillis(100))).isFalse();
        } finally {
            bob = appCookie("bob", SignInGateway.BOB_PASSWORD);
        }
    }

    static Stream<Arguments> nextOnTheSameClientConnection() {
        return Stream.of(
                Arguments.of("no session, bypassed path", "/public/records", null),
                Arguments.of("another user's session", "/records", "bob"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nextOnTheSameClientConnection")
    void aHeldConnectionClosesWhenTheNextRequestComesFromAnotherSession(String label, String path, String who)
            throws Exception {
        // One client connection carrying several users: a shared forward proxy in front of the gateway does this.
        try (RawHttpClient shared = connect()) {
            int bound = windowsLogin(shared, "/records", alice, "Negotiate", "alice");
            RawResponse next = get(shared, path, who == null ? null : bob, "");
            assertThat(next.header("X-Windows-User")).isNull();
            assertThat(next.status()).isEqualTo(401);
            assertThat(upstreamSaw().connectionIndex()).isNotEqualTo(bound);
            assertThat(gateway.upstream.awaitConnectionEnded(bound, WAIT)).isTrue();
        }
    }
}
