package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.connect.ConnectClient;
import org.portcullis.connect.GatewayEndpoint;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.session.SessionId;
import org.portcullis.tcp.ConnectGrants;

/**
 * Issue 17 point 2 through the running gateway, configured as {@code run} wires it, with the real command
 * ({@link ConnectClient}) signing in through the portal's normal two-factor sign-in (a test browser, TOTP codes from
 * oathtool) and carrying local connections to a TCP echo target: bytes arrive exactly and are counted exactly in
 * {@code remote.close}; every kind of bad token is refused before the target sees a connection; the end of the
 * session cuts an open stream within a second, and the command signs in again for the next connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectTunnelTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration ONE_SECOND = Duration.ofSeconds(1);

    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;
    TcpEchoTarget echo;
    TcpEchoTarget restricted;
    TcpEchoTarget briefTarget;
    String aliceSecret;
    String bobSecret;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        echo = new TcpEchoTarget();
        restricted = new TcpEchoTarget();
        briefTarget = new TcpEchoTarget();
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, """
                tcp_targets:
                  - name: echo
                    address: 127.0.0.1:%d
                    groups: [staff]
                  - name: records-db
                    address: 127.0.0.1:%d
                    subjects: [user:alice]
                  - name: brief
                    address: 127.0.0.1:%d
                    groups: [staff]
                    idle_timeout: 2m
                    max_duration: 10m
                """.formatted(echo.port(), restricted.port(), briefTarget.port()));
        flow = new TotpFlow(gateway, clock);
        aliceSecret = flow.enrol("alice");
        bobSecret = flow.enrol("bob");
        // carol has no second factor: her sessions are signed in with the password alone.
        Path users = dir.resolve("users.yaml");
        java.nio.file.Files.writeString(users, java.nio.file.Files.readString(users) + """
                  - username: carol
                    groups: [staff]
                    password: "%s"
                """.formatted(new org.portcullis.identity.PasswordHasher(SignInGateway.CHEAP)
                .hash(CAROL_PASSWORD.toCharArray())));
        assertThat(gateway.server.signIn().orElseThrow().usersReloader().reload())
                .isEqualTo(org.portcullis.identity.UsersFileReloader.Outcome.APPLIED);
    }

    static final String CAROL_PASSWORD = "carol's password, long enough";

    @AfterAll
    void stop() throws Exception {
        gateway.close();
        echo.close();
        restricted.close();
        briefTarget.close();
    }

    // --- carrying bytes ----------------------------------------------------------------------------------------

    @Test
    void carriesBytesExactlyThroughTheGatewayAndAuditsOpenAndCloseWithTheCounts() throws Exception {
        ConnectBrowser browser = new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        int from = gateway.auditLines().size();
        long before = echo.received();
        byte[] data = new byte[300_000];
        new SecureRandom().nextBytes(data);
        try (ConnectClient client = client("echo", browser);
             Socket local = new Socket("127.0.0.1", listening)) {
            local.setSoTimeout(10_000);
            Thread writer = new Thread(() -> {
                try {
                    local.getOutputStream().write(data);
                    local.getOutputStream().flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            byte[] back = local.getInputStream().readNBytes(data.length);
            writer.join();
            assertThat(Arrays.equals(back, data)).as("echoed bytes equal the bytes sent").isTrue();
        }
        assertThat(echo.received() - before).isEqualTo(data.length);
        String open = LiveConnectionsTest.awaitLine(gateway, from, "remote.open", "opened");
        assertThat(LiveConnectionsTest.field(open, "network.protocol")).isEqualTo("tcp");
        assertThat(LiveConnectionsTest.field(open, "destination.address")).isEqualTo("127.0.0.1:" + echo.port());
        assertThat(LiveConnectionsTest.field(open, "route")).isEqualTo("echo");
        assertThat(LiveConnectionsTest.field(open, "auth.factors")).isEqualTo("password,totp");
        // Exactly the payload each way: not a byte of WebSocket framing, TLS or HTTP counted.
        String bytes = "\"source.bytes\":" + data.length + ",\"destination.bytes\":" + data.length;
        List<String> lines = gateway.awaitAuditLine(from, "remote.close", bytes);
        String close = lines.stream().filter(l -> l.contains("remote.close") && l.contains(bytes)).findFirst()
                .orElseThrow(() -> new AssertionError("no remote.close with " + bytes + " in " + lines));
        assertThat(LiveConnectionsTest.field(close, "user.name")).isEqualTo("alice");
        assertThat(LiveConnectionsTest.field(close, "event.reason")).isEqualTo("closed_by_client");
        assertThat(LiveConnectionsTest.field(close, "network.protocol")).isEqualTo("tcp");
        assertThat(browser.signIns.get()).isEqualTo(1);
    }

    @Test
    void theSignInAddressIsThePortalsAndTheLoopbackRedirectCarriesNoSecretButTheCode() throws Exception {
        ConnectBrowser browser = new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        try (ConnectClient client = client("echo", browser)) {
            assertThat(browser.opened).hasSize(1);
            assertThat(browser.opened.get(0)).startsWith(gateway.portalOrigin() + "/.portcullis/connect/authorize?")
                    .contains("code_challenge_method=S256").contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A")
                    .doesNotContain("code_verifier");
            assertThat(browser.last.status()).isEqualTo(302);
            assertThat(browser.last.header("Location")).matches("http://127\\.0\\.0\\.1:\\d+/callback\\?code="
                    + "[A-Za-z0-9_-]{43}&state=[A-Za-z0-9_-]+");
            assertThat(browser.last.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void theCommandAsAUserRunsItWithNoBrowser() throws Exception {
        int port = ConnectTools.freePort();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = org.portcullis.cli.PortcullisMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int[] exit = {-1};
        Thread command = new Thread(() -> exit[0] = cli.execute("connect", "--gateway", gateway.portalOrigin(), "echo",
                "--listen", "127.0.0.1:" + port, "--no-browser", "--ca-file",
                gateway.certs.caCertificatePem().toString(), "--connect-to", "127.0.0.1"));
        command.start();
        try {
            String url = awaitMatch(err, "https://login\\.test:\\d+/\\.portcullis/connect/authorize\\?\\S+");
            new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret).open(url);
            awaitMatch(err, "Signed in");
            assertThat(out.toString()).contains("portcullis connect: echo on 127.0.0.1:" + port + " (through "
                    + gateway.portalOrigin() + ")");
            try (Socket local = new Socket("127.0.0.1", port)) {
                local.setSoTimeout(10_000);
                assertThat(echoes(local, "typed by a person")).isEqualTo("typed by a person");
            }
        } finally {
            command.interrupt();
            command.join(10_000);
        }
        assertThat(exit[0]).isZero();
        assertThat(err.toString()).doesNotContain("access_token").doesNotContain("code=");
    }

    static String awaitMatch(StringWriter text, String regex) {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            java.util.regex.Matcher matcher = pattern.matcher(text.toString());
            if (matcher.find()) {
                return matcher.group();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        throw new AssertionError("no " + regex + " in: " + text);
    }

    // --- what the tunnel endpoint refuses ----------------------------------------------------------------------

    /** Each row: the case, and what the endpoint answers; the target never sees a connection. */
    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                Arguments.of("missing", 401, "connect_token_missing"),
                Arguments.of("forged", 401, "connect_token_invalid"),
                Arguments.of("malformed", 401, "connect_token_invalid"),
                Arguments.of("basic scheme", 401, "connect_token_missing"),
                Arguments.of("two tokens", 401, "connect_token_missing"),
                Arguments.of("for another target", 403, "connect_token_other_target"),
                Arguments.of("one-factor session", 403, "connect_two_factors_required"),
                Arguments.of("second factor still due", 401, "connect_session_ended"),
                Arguments.of("signed out", 401, "connect_session_ended"),
                Arguments.of("user not allowed", 403, "connect_target_not_allowed"),
                Arguments.of("browser origin", 403, "connect_browser_origin"),
                Arguments.of("not a websocket", 400, "connect_not_websocket"),
                Arguments.of("unknown target", 403, "connect_token_other_target"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusesTheTunnelAndTheTargetSeesNothing(String kind, int status, String error) throws Exception {
        String target = kind.equals("user not allowed") ? "records-db" : kind.equals("unknown target")
                ? "nosuch" : "echo";
        String headers = switch (kind) {
            case "missing" -> "";
            case "forged" -> bearer(randomToken());
            case "malformed" -> "Authorization: Bearer not-a-token!\r\n";
            case "basic scheme" -> "Authorization: Basic YWxpY2U6cGFzcw==\r\n";
            case "two tokens" -> bearer(token("alice", aliceSecret, "echo")) + bearer(randomToken());
            case "for another target" -> bearer(token("alice", aliceSecret, "records-db"));
            case "one-factor session" -> bearer(grant(session(gateway.signIn("carol", CAROL_PASSWORD,
                    "/.portcullis/").cookie()), "echo"));
            case "second factor still due" -> bearer(grant(session(flow.password("alice", SignInGateway.PASSWORD,
                    "/.portcullis/")), "echo"));
            case "signed out" -> bearer(signedOutToken());
            case "user not allowed" -> bearer(grant(twoFactorSession("bob", bobSecret), "records-db"));
            case "browser origin" -> bearer(token("alice", aliceSecret, "echo")) + "Origin: https://login.test:"
                    + gateway.port + "\r\n";
            case "not a websocket" -> bearer(token("alice", aliceSecret, "echo"));
            case "unknown target" -> bearer(token("alice", aliceSecret, "echo"));
            default -> throw new AssertionError(kind);
        };
        int accepted = echo.accepted() + restricted.accepted();
        int from = gateway.auditLines().size();
        RawResponse answer = kind.equals("not a websocket")
                ? gateway.send("GET", "login.test", "/.portcullis/connect/tunnel/" + target, headers, null)
                : upgrade(target, headers);
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.bodyText()).isEqualTo("{\"error\":\"" + error + "\"}");
        assertThat(answer.header("Upgrade")).isNull();
        List<String> audit = gateway.awaitAuditLine(from, "access.decision", error.toUpperCase());
        assertThat(audit).anyMatch(l -> l.contains("\"event.reason\":\"" + error.toUpperCase() + "\"")
                && l.contains("\"http.response.status_code\":" + status));
        assertThat(echo.accepted() + restricted.accepted()).isEqualTo(accepted);
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        String token = token("alice", aliceSecret, "echo");
        assertThat(upgrade("echo", bearer(token)).status()).isEqualTo(101);
        clock.advance(ConnectGrants.MAX_TOKEN_LIFETIME.plusMinutes(1));
        int accepted = echo.accepted();
        RawResponse late = upgrade("echo", bearer(token));
        assertThat(late.status()).isEqualTo(401);
        assertThat(late.bodyText()).isEqualTo("{\"error\":\"connect_token_expired\"}");
        assertThat(echo.accepted()).isEqualTo(accepted);
    }

    @Test
    void theTunnelIsOnlyOnThePortalsHost() throws Exception {
        String token = token("alice", aliceSecret, "echo");
        RawResponse onApp;
        try (RawHttpClient raw = RawHttpClient.connectTls(gateway.port, gateway.certs, "app.test", null)) {
            raw.send(upgradeRequest("app.test", "echo", bearer(token)));
            onApp = raw.readResponse(WAIT);
        }
        assertThat(onApp.status()).isEqualTo(404);
    }

    // --- the portal's half of the sign-in ----------------------------------------------------------------------

    /** Each row: a redirect_uri the portal must never send a code to; it answers with a page, not a redirect. */
    static Stream<String> foreignRedirects() {
        return Stream.of(
                "https://evil.example/callback",          // not loopback
                "http://evil.example:8080/callback",      // not loopback
                "http://127.0.0.1/callback",              // no port
                "http://127.0.0.1:8080/callback?x=1",     // a query
                "http://user@127.0.0.1:8080/callback",    // user info
                "http://127.0.0.1.evil.example:80/cb",    // a name that starts like loopback
                "http://127.0.0.1:8080/cb#frag",          // a fragment
                "javascript:alert(1)",                    // not http
                "//127.0.0.1:8080/callback");             // scheme-relative
    }

    @ParameterizedTest
    @MethodSource("foreignRedirects")
    void theAuthorizeAddressNeverRedirectsOffTheMachine(String redirect) throws Exception {
        String cookie = ConnectBrowser.twoFactorCookie(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        RawResponse answer = gateway.navigate("login.test", authorize("echo", redirect), cookie);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Location")).isNull();
        assertThat(answer.bodyText()).doesNotContain("code=");
    }

    @Test
    void aOneFactorSessionGetsNoCode() throws Exception {
        SignInGateway.SignIn carol = gateway.signIn("carol", CAROL_PASSWORD, "/.portcullis/");
        RawResponse answer = gateway.navigate("login.test", authorize("echo", "http://127.0.0.1:9/callback"),
                carol.cookie());
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Location")).isNull();
        assertThat(answer.bodyText()).contains("second factor");
    }

    @Test
    void aUserTheTargetDoesNotAllowGetsNoCode() throws Exception {
        String cookie = ConnectBrowser.twoFactorCookie(flow, "bob", SignInGateway.BOB_PASSWORD, bobSecret);
        RawResponse answer = gateway.navigate("login.test", authorize("records-db", "http://127.0.0.1:9/callback"),
                cookie);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Location")).isNull();
    }

    @Test
    void aCodeWorksOnceOnlyWithItsVerifierAndRedirect() throws Exception {
        String cookie = ConnectBrowser.twoFactorCookie(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        String verifier = randomToken() + "abc";
        String redirect = "http://127.0.0.1:9/callback";
        String code = code(cookie, "echo", redirect, verifier);
        assertThat(exchange(code, verifier, "http://127.0.0.1:10/callback").status()).isEqualTo(400);
        // The failed attempt used the code up: the right verifier comes too late.
        assertThat(exchange(code, verifier, redirect).status()).isEqualTo(400);
        String second = code(cookie, "echo", redirect, verifier);
        assertThat(exchange(second, verifier.replace('a', 'b'), redirect).status()).isEqualTo(400);
        String third = code(cookie, "echo", redirect, verifier);
        RawResponse good = exchange(third, verifier, redirect);
        assertThat(good.status()).isEqualTo(200);
        assertThat(good.header("Cache-Control")).isEqualTo("no-store");
        assertThat(exchange(third, verifier, redirect).status()).isEqualTo(400);
        clock.advance(ConnectGrants.CODE_LIFETIME);
        String fourth = code(cookie, "echo", redirect, verifier);
        clock.advance(ConnectGrants.CODE_LIFETIME);
        assertThat(exchange(fourth, verifier, redirect).status()).isEqualTo(400);
    }

    // --- the end of the session --------------------------------------------------------------------------------

    @Test
    void signOutCutsTheOpenStreamWithinASecondAndTheNextConnectionSignsInAgain() throws Exception {
        ConnectBrowser browser = new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        int from = gateway.auditLines().size();
        try (ConnectClient client = client("echo", browser);
             Socket local = new Socket("127.0.0.1", listening)) {
            local.setSoTimeout(10_000);
            assertThat(echoes(local, "hello")).isEqualTo("hello");
            signOut(browser.cookie);
            long signedOut = System.nanoTime();
            assertThat(local.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - signedOut)).isLessThan(ONE_SECOND);

            String close = LiveConnectionsTest.awaitLine(gateway, from, "remote.close", "sign_out");
            assertThat(LiveConnectionsTest.field(close, "source.bytes")).isEqualTo("5");
            assertThat(LiveConnectionsTest.field(close, "destination.bytes")).isEqualTo("5");
            assertThat(LiveConnectionsTest.field(close, "network.protocol")).isEqualTo("tcp");

            // The next connection finds the token refused and signs in again through the browser.
            try (Socket again = new Socket("127.0.0.1", listening)) {
                again.setSoTimeout(10_000);
                assertThat(echoes(again, "again")).isEqualTo("again");
            }
            assertThat(browser.signIns.get()).isEqualTo(2);
        }
    }

    @Test
    void revokeFromTheCliCutsTheOpenStreamWithinASecond() throws Exception {
        ConnectBrowser browser = new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        int from = gateway.auditLines().size();
        try (ConnectClient client = client("echo", browser);
             Socket local = new Socket("127.0.0.1", listening)) {
            local.setSoTimeout(10_000);
            assertThat(echoes(local, "0123456789")).isEqualTo("0123456789");
            StringWriter out = new StringWriter();
            picocli.CommandLine cli = org.portcullis.cli.PortcullisMain.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(new StringWriter(), true));
            assertThat(cli.execute("sessions", "revoke", "--user", "alice", "--data-dir",
                    gateway.dataDir.toString())).isZero();
            long revoked = System.nanoTime();
            assertThat(local.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(ONE_SECOND);
        }
        String close = LiveConnectionsTest.awaitLine(gateway, from, "remote.close", "revoked");
        assertThat(LiveConnectionsTest.field(close, "source.bytes")).isEqualTo("10");
        assertThat(LiveConnectionsTest.field(close, "destination.bytes")).isEqualTo("10");
    }

    @Test
    void theTargetsIdleTimeoutEndsASilentStreamWithinASecond() throws Exception {
        assertCutAfter(Duration.ofMinutes(3), "idle_timeout");
    }

    @Test
    void theTargetsMaxDurationEndsABusyStreamWithinASecond() throws Exception {
        assertCutAfter(Duration.ofMinutes(11), "max_duration");
    }

    /** Opens a stream to {@code brief}, moves the clock by {@code later}, and expects a cut for {@code reason}. */
    void assertCutAfter(Duration later, String reason) throws Exception {
        ConnectBrowser browser = new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        int from = gateway.auditLines().size();
        try (ConnectClient client = client("brief", browser);
             Socket local = new Socket("127.0.0.1", listening)) {
            local.setSoTimeout(10_000);
            assertThat(echoes(local, "tick")).isEqualTo("tick");
            gateway.server.runtime().tunnels().orElseThrow().checkNow().join();
            clock.advance(later);
            long moved = System.nanoTime();
            assertThat(local.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - moved)).isLessThan(ONE_SECOND);
        }
        String close = LiveConnectionsTest.awaitLine(gateway, from, "remote.close", reason);
        assertThat(LiveConnectionsTest.field(close, "route")).isEqualTo("brief");
        assertThat(LiveConnectionsTest.field(close, "source.bytes")).isEqualTo("4");
    }

    @Test
    void aReloadThatNoLongerAllowsTheUserEndsTheirStreamWithinASecond() throws Exception {
        Path config = gateway.dir.resolve("portcullis.yaml");
        String original = java.nio.file.Files.readString(config);
        org.portcullis.server.ConfigReloader reloader = new org.portcullis.server.ConfigReloader(config,
                gateway.server);
        ConnectBrowser browser = new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        int from = gateway.auditLines().size();
        try (ConnectClient client = client("records-db", browser);
             Socket local = new Socket("127.0.0.1", listening)) {
            local.setSoTimeout(10_000);
            assertThat(echoes(local, "before")).isEqualTo("before");
            java.nio.file.Files.writeString(config, original.replace("    subjects: [user:alice]\n",
                    "    subjects: [user:bob]\n"));
            assertThat(reloader.reload()).isEqualTo(org.portcullis.server.ConfigReloader.Outcome.APPLIED);
            long reloaded = System.nanoTime();
            assertThat(local.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - reloaded)).isLessThan(ONE_SECOND);
        } finally {
            java.nio.file.Files.writeString(config, original);
            reloader.reload();
        }
        String close = LiveConnectionsTest.awaitLine(gateway, from, "remote.close", "policy_changed");
        assertThat(LiveConnectionsTest.field(close, "route")).isEqualTo("records-db");
    }

    @Test
    void theSessionsIdleTimeoutOnTheClockEndsASilentStream() throws Exception {
        // echo has no idle timeout of its own; the watch enforces the session's idle timeout on the moved clock.
        ConnectBrowser browser = new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        int from = gateway.auditLines().size();
        try (ConnectClient client = client("echo", browser);
             Socket local = new Socket("127.0.0.1", listening)) {
            local.setSoTimeout(10_000);
            assertThat(echoes(local, "x")).isEqualTo("x");
            gateway.server.runtime().tunnels().orElseThrow().checkNow().join();
            clock.advance(Duration.ofMinutes(31));
            long expired = System.nanoTime();
            assertThat(local.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - expired)).isLessThan(ONE_SECOND);
        }
        LiveConnectionsTest.awaitLine(gateway, from, "remote.close", "expired_idle");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    int listening;

    ConnectClient client(String target, ConnectBrowser browser) throws Exception {
        ConnectClient client = new ConnectClient(new GatewayEndpoint(java.net.URI.create(gateway.portalOrigin()),
                "127.0.0.1", GatewayEndpoint.trusting(gateway.certs.caCertificatePem())), target,
                new InetSocketAddress("127.0.0.1", 0), browser, new PrintWriter(new StringWriter(), true),
                Duration.ofSeconds(20));
        listening = client.start().getPort();
        client.signIn();
        return client;
    }

    static String echoes(Socket local, String text) throws IOException {
        OutputStream out = local.getOutputStream();
        out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = local.getInputStream();
        return new String(in.readNBytes(text.length()), java.nio.charset.StandardCharsets.US_ASCII);
    }

    void signOut(String cookie) throws IOException {
        String token = flow.token("/.portcullis/", cookie);
        RawResponse out = gateway.send("POST", "login.test", "/.portcullis/logout", "Origin: "
                + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + cookie + "\r\n",
                "csrf=" + SignInGateway.encode(token));
        assertThat(out.status()).isEqualTo(200);
    }

    String authorize(String target, String redirect) {
        return authorize(target, redirect, ConnectGrants.challengeOf(randomToken() + "abc"));
    }

    static String authorize(String target, String redirect, String challenge) {
        return "/.portcullis/connect/authorize?response_type=code&target=" + target + "&redirect_uri="
                + SignInGateway.encode(redirect) + "&state=abcdefghijklmnopqrstuv&code_challenge=" + challenge
                + "&code_challenge_method=S256";
    }

    String code(String cookie, String target, String redirect, String verifier) throws IOException {
        RawResponse answer = gateway.navigate("login.test", authorize(target, redirect,
                ConnectGrants.challengeOf(verifier)), cookie);
        assertThat(answer.status()).as(answer.bodyText()).isEqualTo(302);
        return answer.header("Location").replaceFirst(".*[?&]code=([A-Za-z0-9_-]+).*", "$1");
    }

    RawResponse exchange(String code, String verifier, String redirect) throws IOException {
        return gateway.send("POST", "login.test", "/.portcullis/connect/token", "", "grant_type=authorization_code"
                + "&code=" + code + "&code_verifier=" + verifier + "&redirect_uri=" + SignInGateway.encode(redirect));
    }

    /** A token for {@code user}'s fresh two-factor session, through the portal's endpoints. */
    String token(String user, String secret, String target) throws IOException {
        String cookie = ConnectBrowser.twoFactorCookie(flow, user, user.equals("alice") ? SignInGateway.PASSWORD
                : SignInGateway.BOB_PASSWORD, secret);
        String verifier = randomToken() + "xyz";
        String redirect = "http://127.0.0.1:9/callback";
        RawResponse answer = exchange(code(cookie, target, redirect, verifier), verifier, redirect);
        assertThat(answer.status()).isEqualTo(200);
        return answer.bodyText().replaceFirst(".*\"access_token\":\"([^\"]+)\".*", "$1");
    }

    SessionId twoFactorSession(String user, String secret) throws IOException {
        String cookie = ConnectBrowser.twoFactorCookie(flow, user, user.equals("alice") ? SignInGateway.PASSWORD
                : SignInGateway.BOB_PASSWORD, secret);
        return SessionId.parse(cookie.substring(cookie.indexOf('=') + 1)).orElseThrow();
    }

    static SessionId session(String cookie) {
        return SessionId.parse(cookie.substring(cookie.indexOf('=') + 1)).orElseThrow();
    }

    String signedOutToken() throws IOException {
        String cookie = ConnectBrowser.twoFactorCookie(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        String verifier = randomToken() + "xyz";
        String redirect = "http://127.0.0.1:9/callback";
        RawResponse answer = exchange(code(cookie, "echo", redirect, verifier), verifier, redirect);
        signOut(cookie);
        return answer.bodyText().replaceFirst(".*\"access_token\":\"([^\"]+)\".*", "$1");
    }

    /**
     * A token straight from the gateway's grant table (the portal checks the same at its authorize address and would
     * never issue it for such a session), so that the tunnel's own check is what refuses it.
     */
    String grant(SessionId session, String target) {
        ConnectGrants grants = gateway.server.signIn().orElseThrow().portal().connectGrants();
        String verifier = randomToken() + "xyz";
        String code = grants.issueCode(session, target, clock.instant().plus(Duration.ofHours(1)),
                "http://127.0.0.1:9/cb", ConnectGrants.challengeOf(verifier)).orElseThrow();
        return grants.redeem(code, verifier, "http://127.0.0.1:9/cb").orElseThrow();
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String bearer(String token) {
        return "Authorization: Bearer " + token + "\r\n";
    }

    String upgradeRequest(String host, String target, String headers) {
        return "GET /.portcullis/connect/tunnel/" + target + " HTTP/1.1\r\nHost: " + host + ":" + gateway.port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + headers + "\r\n";
    }

    RawResponse upgrade(String target, String headers) throws IOException {
        try (RawHttpClient raw = RawHttpClient.connectTls(gateway.port, gateway.certs, "login.test", null)) {
            raw.send(upgradeRequest("login.test", target, headers));
            return raw.readResponse(WAIT);
        }
    }
}
