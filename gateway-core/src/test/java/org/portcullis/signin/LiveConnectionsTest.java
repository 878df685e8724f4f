package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.cli.ResetMfaCommand;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.WebSocketTestClient;
import org.portcullis.identity.UsersFileReloader;
import org.portcullis.server.ConfigReloader;
import picocli.CommandLine;

/**
 * Issue 16 point 1 through the running gateway: every cause that must end a live connection ends an open WebSocket
 * tunnel within one second of the cause (measured from the cause to the client seeing the close), with one
 * {@code remote.close} in the audit trail naming that cause; {@code remote.open}/{@code remote.close} carry exactly the
 * bytes the upstream received; {@code portcullis sessions list}, run as the CLI runs, shows the open stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveConnectionsTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration ONE_SECOND = Duration.ofSeconds(1);
    static final String WS = "/misbehave/websocket-accept/console";
    static final Pattern FIELD = Pattern.compile("\"([a-z_.@]+)\":(?:\"([^\"]*)\"|(-?\\d+))");

    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    Path config;
    String originalConfig;
    ConfigReloader reloader;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        config = dir.resolve("portcullis.yaml");
        originalConfig = Files.readString(config);
        reloader = new ConfigReloader(config, gateway.server);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    // --- the causes --------------------------------------------------------------------------------------------

    @Test
    void revokeFromTheCliEndsTheTunnelWithinASecondAndSessionsListShowedIt() throws Exception {
        int from = auditSize();
        try (RawHttpClient alice = openTunnel("alice", SignInGateway.PASSWORD);
             RawHttpClient bob = openTunnel("bob", SignInGateway.BOB_PASSWORD)) {
            String listed = awaitListed("remote websocket app.test" + WS);
            assertThat(listed).containsPattern("(?m)^[0-9a-f]{8} .* alice\\n {10}remote websocket app.test" + WS
                    + " \\(route app\\) from 127\\.0\\.0\\.1, open since \\S+, \\d+ bytes in, \\d+ bytes out$");

            int exit = cli("sessions", "revoke", "--user", "alice", "--data-dir", gateway.dataDir.toString()).exit;
            long revoked = System.nanoTime();
            assertThat(exit).isZero();

            assertThat(closedAfter(alice, revoked)).isLessThan(ONE_SECOND);
            stillEchoes(bob);
            assertThat(field(closeLine(from, "revoked"), "user.name")).isEqualTo("alice");
        }
        assertThat(awaitUnlisted()).doesNotContain("remote ");
    }

    @Test
    void signOutAtThePortalEndsTheTunnelWithinASecond() throws Exception {
        int from = auditSize();
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD,
                "https://app.test:" + gateway.port + "/");
        try (RawHttpClient alice = TunnelSessionTest.openTunnel(gateway, gateway.callback(portal.location()).cookie())) {
            RawResponse account = gateway.navigate("login.test", "/.portcullis/", portal.cookie());
            String token = account.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
            RawResponse out = gateway.send("POST", "login.test", "/.portcullis/logout", "Origin: "
                    + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + portal.cookie()
                    + "\r\n", "csrf=" + SignInGateway.encode(token));
            long signedOut = System.nanoTime();
            assertThat(out.status()).isEqualTo(200);
            assertThat(closedAfter(alice, signedOut)).isLessThan(ONE_SECOND);
        }
        closeLine(from, "sign_out");
    }

    @Test
    void theSessionsIdleTimeoutOnTheClockEndsTheTunnelWithinASecond() throws Exception {
        int from = auditSize();
        try (RawHttpClient silent = openTunnel("alice", SignInGateway.PASSWORD)) {
            check();
            clock.advance(Duration.ofMinutes(31));
            long expired = System.nanoTime();
            assertThat(closedAfter(silent, expired)).isLessThan(ONE_SECOND);
        }
        closeLine(from, "expired_idle");
    }

    @Test
    void removingOrDisablingTheUserEndsTheirTunnelWithinASecond() throws Exception {
        Path users = gateway.dir.resolve("users.yaml");
        String before = Files.readString(users);
        UsersFileReloader usersReloader = gateway.server.signIn().orElseThrow().usersReloader();
        try {
            int from = auditSize();
            try (RawHttpClient alice = openTunnel("alice", SignInGateway.PASSWORD);
                 RawHttpClient bob = openTunnel("bob", SignInGateway.BOB_PASSWORD)) {
                Files.writeString(users, before.replace("  - username: bob\n", "  - username: bob\n    disabled: true\n")
                        .replaceAll("(?s)  - username: alice\n.*?(?=  - username: bob)", ""));
                assertThat(usersReloader.reload()).isEqualTo(UsersFileReloader.Outcome.APPLIED);
                long changed = System.nanoTime();
                assertThat(closedAfter(alice, changed)).isLessThan(ONE_SECOND);
                assertThat(closedAfter(bob, changed)).isLessThan(ONE_SECOND);
            }
            assertThat(field(closeLine(from, "user_removed"), "user.name")).isEqualTo("alice");
            assertThat(field(closeLine(from, "user_disabled"), "user.name")).isEqualTo("bob");
        } finally {
            Files.writeString(users, before);
            usersReloader.reload();
        }
    }

    @Test
    void resetMfaFromTheCliEndsATwoFactorTunnelWithinASecond(@TempDir Path dir) throws Exception {
        // A gateway of its own: the reset leaves alice owing a new enrolment.
        SignInGateway own = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        try {
            TotpFlow totp = new TotpFlow(own, clock);
            String secret = totp.enrol("alice");
            String rd = "https://app.test:" + own.port + "/records/1";
            String pending = totp.password("alice", SignInGateway.PASSWORD, rd);
            RawResponse done = totp.submitCode(pending, totp.code(secret));
            String portal = SignInGateway.cookiePair(done, "__Host-portcullis");
            RawResponse onwards = own.navigate("login.test", own.loginTarget(rd), portal);
            String app = own.callback(onwards.header("Location")).cookie();
            int from = own.auditLines().size();
            try (RawHttpClient alice = TunnelSessionTest.openTunnel(own, app)) {
                assertThat(field(awaitLine(own, from, "remote.open", "opened"), "auth.factors"))
                        .isEqualTo("password,totp");
                StringWriter out = new StringWriter();
                CommandLine reset = new CommandLine(new ResetMfaCommand(clock));
                reset.setOut(new PrintWriter(out, true));
                reset.setErr(new PrintWriter(new StringWriter(), true));
                int exit = reset.execute("alice", "--data-dir", own.dataDir.toString(), "--file",
                        dir.resolve("users.yaml").toString(), "--expires", "2h");
                long resetAt = System.nanoTime();
                assertThat(exit).as(out.toString()).isZero();
                assertThat(closedAfter(alice, resetAt)).isLessThan(ONE_SECOND);
            }
            awaitLine(own, from, "remote.close", "mfa_reset");
        } finally {
            own.close();
        }
    }

    @Test
    void aReloadWhosePolicyNoLongerLetsTheUserThroughEndsTheirTunnelWithinASecond() throws Exception {
        int from = auditSize();
        try (RawHttpClient alice = openTunnel("alice", SignInGateway.PASSWORD);
             RawHttpClient bob = openTunnel("bob", SignInGateway.BOB_PASSWORD)) {
            // Only clinicians now: alice is one, bob is not.
            String marker = "      policy: one_factor\n";
            int at = originalConfig.lastIndexOf(marker) + marker.length();
            assertThat(originalConfig.substring(0, at)).endsWith("- id: signed-in\n      hosts: [app.test, other.test]\n"
                    + marker);
            reload(originalConfig.substring(0, at) + "      subjects: [[group:clinicians]]\n"
                    + originalConfig.substring(at));
            long reloaded = System.nanoTime();
            assertThat(closedAfter(bob, reloaded)).isLessThan(ONE_SECOND);
            stillEchoes(alice);
        } finally {
            reload(originalConfig);
        }
        assertThat(field(closeLine(from, "policy_changed"), "user.name")).isEqualTo("bob");
    }

    @Test
    void theRoutesMaxStreamDurationOnTheMovedClockEndsTheTunnelWithinASecond() throws Exception {
        reload(withAppRouteKeys("    max_stream_duration: 10m\n"));
        int from = auditSize();
        try (RawHttpClient alice = openTunnel("alice", SignInGateway.PASSWORD)) {
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofMinutes(3));
                stillEchoes(alice);
                check();
            }
            clock.advance(Duration.ofMinutes(1));
            long capped = System.nanoTime();
            assertThat(closedAfter(alice, capped)).isLessThan(ONE_SECOND);
        } finally {
            reload(originalConfig);
        }
        String line = closeLine(from, "max_duration");
        assertThat(Long.parseLong(field(line, "event.duration"))).isEqualTo(Duration.ofMinutes(10).toNanos());
    }

    @Test
    void theRoutesStreamIdleTimeoutEndsASilentTunnelAndNotABusyOne() throws Exception {
        reload(withAppRouteKeys("    stream_idle_timeout: 2m\n"));
        int from = auditSize();
        try (RawHttpClient silent = openTunnel("alice", SignInGateway.PASSWORD);
             RawHttpClient busy = openTunnel("bob", SignInGateway.BOB_PASSWORD)) {
            check();
            clock.advance(Duration.ofMinutes(1));
            stillEchoes(busy);
            check();
            clock.advance(Duration.ofSeconds(61));
            long idle = System.nanoTime();
            assertThat(closedAfter(silent, idle)).isLessThan(ONE_SECOND);
            stillEchoes(busy);
        } finally {
            reload(originalConfig);
        }
        assertThat(field(closeLine(from, "idle_timeout"), "user.name")).isEqualTo("alice");
    }

    @Test
    void closedByTheClientIsAuditedWithExactlyTheBytesTheUpstreamReceived() throws Exception {
        int from = auditSize();
        long upstreamBefore = gateway.upstream.tunnelBytesReceived();
        long sent = 0;
        RawHttpClient alice = openTunnel("alice", SignInGateway.PASSWORD);
        sent += WebSocketTestClient.maskedTextFrame("ping").length;
        String openLine = awaitLine(from, "remote.open", "opened");
        assertThat(field(openLine, "route")).isEqualTo("app");
        assertThat(field(openLine, "destination.address")).isEqualTo("app.test" + WS);
        assertThat(field(openLine, "network.protocol")).isEqualTo("websocket");
        assertThat(field(openLine, "source.ip")).isEqualTo("127.0.0.1");
        assertThat(field(openLine, "session.id")).matches("[0-9a-f]{8}");
        assertThat(field(openLine, "auth.factors")).isEqualTo("password");
        assertThat(field(openLine, "auth.factors_age")).matches("password=\\d+");
        for (int i = 0; i < 20; i++) {
            String text = "x".repeat(i * 37);
            sent += WebSocketTestClient.maskedTextFrame(text).length;
            alice.send(WebSocketTestClient.maskedTextFrame(text));
            assertThat(alice.readWebSocketFrame(WAIT).text()).isEqualTo(text);
        }
        clock.advance(Duration.ofSeconds(42));
        alice.close();

        String line = closeLine(from, "closed_by_client");
        long received = gateway.upstream.tunnelBytesReceived() - upstreamBefore;
        assertThat(received).isEqualTo(sent);
        assertThat(Long.parseLong(field(line, "source.bytes"))).isEqualTo(received);
        // The upstream echoes what it receives: the same bytes came back.
        assertThat(Long.parseLong(field(line, "destination.bytes"))).isEqualTo(received);
        assertThat(Long.parseLong(field(line, "event.duration"))).isEqualTo(Duration.ofSeconds(42).toNanos());
        assertThat(field(line, "session.id")).isEqualTo(field(openLine, "session.id"));
        assertThat(line).doesNotContain("portcullis=").doesNotContain("Cookie");

        // Sealed into the chain like every other line, and in the report: who had a tunnel open, when, how long.
        UnknownLoginNameTest.auditCommand("verify", "--config", config.toString());
        Path report = gateway.dir.resolve("report.html");
        UnknownLoginNameTest.auditCommand("report", "--config", config.toString(), "--since", "2026-12-07",
                "--until", "2026-12-08", "--out", report.toString());
        String html = Files.readString(report);
        assertThat(html).contains("<h2>Remote connections</h2>");
        assertThat(html).containsPattern("<td>alice</td><td>websocket</td><td>app\\.test" + WS + "</td>"
                + "<td>127\\.0\\.0\\.1</td><td>" + field(line, "session.id") + "</td><td>password</td><td>42</td>"
                + "<td>" + received + "</td><td>" + received + "</td><td>closed_by_client</td>");
    }

    @Test
    void theSessionsAbsoluteTimeoutEndsABusyTunnelWithinASecond(@TempDir Path dir) throws Exception {
        SignInGateway own = SignInGateway.start(dir, clock, SignInGateway.POLICY,
                "sessions:\n  idle_timeout: 30m\n  absolute_timeout: 1h\n");
        try {
            int from = own.auditLines().size();
            try (RawHttpClient alice = TunnelSessionTest.openTunnel(own, own.callback(own.signIn("alice",
                    SignInGateway.PASSWORD, "https://app.test:" + own.port + "/").location()).cookie())) {
                for (int i = 0; i < 2; i++) {
                    clock.advance(Duration.ofMinutes(20));
                    stillEchoes(alice);
                    own.server.runtime().tunnels().orElseThrow().checkNow().join();
                }
                clock.advance(Duration.ofMinutes(20));
                long expired = System.nanoTime();
                assertThat(closedAfter(alice, expired)).isLessThan(ONE_SECOND);
            }
            awaitLine(own, from, "remote.close", "expired_absolute");
        } finally {
            own.close();
        }
    }

    @Test
    void theTargetClosingIsAuditedAsSuch(@TempDir Path dir) throws Exception {
        SignInGateway own = SignInGateway.start(dir, clock);
        try {
            int from = own.auditLines().size();
            try (RawHttpClient alice = TunnelSessionTest.openTunnel(own, own.callback(own.signIn("alice",
                    SignInGateway.PASSWORD, "https://app.test:" + own.port + "/").location()).cookie())) {
                own.upstream.close();
                long closed = System.nanoTime();
                assertThat(closedAfter(alice, closed)).isLessThan(ONE_SECOND);
            }
            String line = awaitLine(own, from, "remote.close", "closed_by_target");
            assertThat(Long.parseLong(field(line, "source.bytes")))
                    .isEqualTo(WebSocketTestClient.maskedTextFrame("ping").length);
        } finally {
            own.close();
        }
    }

    @Test
    void gatewayShutdownEndsTheTunnelAndAuditsIt(@TempDir Path dir) throws Exception {
        SignInGateway own = SignInGateway.start(dir, clock);
        RawHttpClient alice;
        try {
            alice = TunnelSessionTest.openTunnel(own, own.callback(own.signIn("alice", SignInGateway.PASSWORD,
                    "https://app.test:" + own.port + "/").location()).cookie());
        } catch (Exception | Error e) {
            own.close();
            throw e;
        }
        try (alice) {
            long closing = System.nanoTime();
            own.close();
            assertThat(closedAfter(alice, closing)).isLessThan(Duration.ofSeconds(6));
        }
        assertThat(own.auditLines()).anyMatch(l -> l.contains("\"event.action\":\"remote.close\"")
                && l.contains("\"event.reason\":\"shutdown\""));
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    RawHttpClient openTunnel(String user, String password) throws Exception {
        SignInGateway.SignIn portal = gateway.signIn(user, password, "https://app.test:" + gateway.port + "/");
        return TunnelSessionTest.openTunnel(gateway, gateway.callback(portal.location()).cookie());
    }

    static void stillEchoes(RawHttpClient client) throws Exception {
        client.send(WebSocketTestClient.maskedTextFrame("still here"));
        assertThat(client.readWebSocketFrame(WAIT).text()).isEqualTo("still here");
    }

    static Duration closedAfter(RawHttpClient client, long from) {
        return TunnelSessionTest.closedAfter(client, from);
    }

    int check() {
        return gateway.server.runtime().tunnels().orElseThrow().checkNow().join();
    }

    void reload(String yaml) throws Exception {
        Files.writeString(config, yaml);
        assertThat(reloader.reload()).isEqualTo(ConfigReloader.Outcome.APPLIED);
    }

    /** The config with {@code keys} added to the route {@code app} (its first {@code upstream_timeout} line). */
    String withAppRouteKeys(String keys) {
        String marker = "    upstream_timeout: 2s\n";
        int at = originalConfig.indexOf(marker) + marker.length();
        return originalConfig.substring(0, at) + keys + originalConfig.substring(at);
    }

    int auditSize() throws Exception {
        return gateway.auditLines().size();
    }

    String closeLine(int from, String reason) throws Exception {
        return awaitLine(from, "remote.close", reason);
    }

    String awaitLine(int from, String action, String reason) throws Exception {
        return awaitLine(gateway, from, action, reason);
    }

    static String awaitLine(SignInGateway gateway, int from, String action, String reason) throws Exception {
        String actionPart = "\"event.action\":\"" + action + "\"";
        String reasonPart = "\"event.reason\":\"" + reason + "\"";
        List<String> lines = gateway.awaitAuditLine(from, actionPart, reasonPart);
        return lines.stream().filter(l -> l.contains(actionPart) && l.contains(reasonPart)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " " + reason + " in " + lines));
    }

    static String field(String line, String name) {
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2) != null ? m.group(2) : m.group(3);
            }
        }
        return null;
    }

    record Cli(int exit, String out) {
    }

    Cli cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = PortcullisMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return new Cli(cli.execute(args), out.toString());
    }

    /** {@code sessions list}'s output once it contains {@code text} (the gateway writes its table asynchronously). */
    String awaitListed(String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Cli run = cli("sessions", "list", "--data-dir", gateway.dataDir.toString());
            assertThat(run.exit()).isZero();
            if (run.out().contains(text) || System.nanoTime() > deadline) {
                return run.out();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** {@code sessions list}'s output once it lists no open stream. */
    String awaitUnlisted() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Cli run = cli("sessions", "list", "--data-dir", gateway.dataDir.toString());
            if (!run.out().contains("remote ") || System.nanoTime() > deadline) {
                return run.out();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
