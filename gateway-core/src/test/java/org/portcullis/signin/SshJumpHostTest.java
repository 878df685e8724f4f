package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulator;
import org.portcullis.ssh.SshJumpHost;
import picocli.CommandLine;

/**
 * The SSH jump host (issue 17) with stock OpenSSH: {@code ssh -J alice@gateway root@db01} through the real gateway,
 * configured as {@code portcullis run} wires it ({@link SignInGateway} plus {@code tcp_targets} and {@code ssh}), to a
 * real {@code sshd} the test starts. Each case asserts what the user reads in their terminal and what the audit trail
 * says. The gateway's clock is a hand-moved one: every sign-in moves it to a fresh TOTP time step.
 */
class SshJumpHostTest {
    static final Duration ONE_SECOND = Duration.ofSeconds(1);
    static final Pattern FIELD = Pattern.compile("\"([a-z_.@]+)\":(?:\"([^\"]*)\"|(-?\\d+))");

    @TempDir
    static Path dir;
    static MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    static SignInGateway gateway;
    static OpenSsh openSsh;
    static TotpFlow totp;
    static String aliceSecret;
    static int sshPort;
    static Path config;
    static String originalConfig;
    static org.portcullis.server.ConfigReloader reloader;
    /** A target that sends {@link #BURST_BYTES} at once on every connection and closes it. */
    static java.net.ServerSocket burst;
    static final int BURST_BYTES = 8 * 1024 * 1024;

    @BeforeAll
    static void start() throws Exception {
        OpenSsh.require();
        sshPort = OpenSsh.freePort();
        openSsh = OpenSsh.start(dir.resolve("openssh"), sshPort);
        int closedPort = OpenSsh.freePort();
        burst = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        Thread sender = new Thread(SshJumpHostTest::sendBurstsAndClose, "burst-target");
        sender.setDaemon(true);
        sender.start();
        gateway = SignInGateway.start(dir.resolve("gateway"), clock, TotpFlow.POLICY, """
                tcp_targets:
                  - name: db01
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                    idle_timeout: 10m
                  - name: ops
                    address: 127.0.0.1:%d
                    groups: [admins]
                  - name: burst
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                ssh:
                  address: 127.0.0.1:%d
                  login_timeout: 30s
                """.formatted(openSsh.targetPort, closedPort, burst.getLocalPort(), sshPort));
        totp = new TotpFlow(gateway, clock);
        aliceSecret = totp.enrol("alice");
        config = dir.resolve("gateway").resolve("portcullis.yaml");
        originalConfig = java.nio.file.Files.readString(config);
        reloader = new org.portcullis.server.ConfigReloader(config, gateway.server);
    }

    @AfterAll
    static void stop() throws Exception {
        if (burst != null) {
            burst.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (openSsh != null) {
            openSsh.close();
        }
    }

    @BeforeEach
    void freshTimeStep() {
        clock.advance(Duration.ofSeconds(30));
        totp.unlock("alice", "bob");
        regulator().unlock(CounterKind.PASSWORD, "alice");
        regulator().unlock(CounterKind.PASSWORD, "bob");
    }

    // --- the way in ----------------------------------------------------------------------------------------------

    @Test
    void passwordAndTotpOpenTheTargetAndACommandRunsThere() throws Exception {
        int from = auditSize();
        OpenSsh.Run run = jump(totp.code(aliceSecret), "db01", "echo hello-from-$(hostname)-target");

        assertThat(run.output()).contains("Enter the code from your authenticator app")
                .containsPattern("hello-from-.*-target");
        assertThat(run.exit()).isZero();
        String open = awaitLine(from, "\"event.action\":\"remote.open\"");
        assertThat(field(open, "network.protocol")).isEqualTo("ssh");
        assertThat(field(open, "route")).isEqualTo("db01");
        assertThat(field(open, "destination.address")).isEqualTo("127.0.0.1:" + openSsh.targetPort);
        assertThat(field(open, "auth.factors")).isEqualTo("password,totp");
        String close = awaitLine(from, "\"event.action\":\"remote.close\"");
        assertThat(field(close, "event.reason")).isIn("closed_by_client", "closed_by_target");
        assertThat(Long.parseLong(field(close, "source.bytes"))).isPositive();
        assertThat(Long.parseLong(field(close, "destination.bytes"))).isPositive();
        List<String> lines = awaitLines(from, "\"event.action\":\"user.sign_out\"", "ssh_disconnect");
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"user.sign_in\"")
                && l.contains("password_second_factor_due") && l.contains("\"url.domain\":\"ssh\""));
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"factor.verify\"")
                && l.contains("\"event.outcome\":\"success\""));
        // The client pinned the key the gateway generated and logs.
        assertThat(openSsh.knownHostFingerprint("[127.0.0.1]:" + sshPort)).contains(jumpHost().fingerprint());
        assertNoSecretsIn(lines);
    }

    @Test
    void aTargetNamedByItsAddressIsReachedToo() throws Exception {
        OpenSsh.Run run = openSsh.ssh(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)), "-J",
                "alice@gateway", "-p", String.valueOf(openSsh.targetPort),
                openSsh.targetUser + "@127.0.0.1", "echo by-address");
        assertThat(run.output()).contains("by-address");
        assertThat(run.exit()).isZero();
    }

    @Test
    void thePasswordAloneOpensNothing() throws Exception {
        int from = auditSize();
        OpenSsh.Run run = openSsh.ssh(SignInGateway.PASSWORD, List.of(), "-o", "PreferredAuthentications=password",
                "-W", "db01:22", "alice@gateway");
        assertThat(run.output()).contains("Permission denied").doesNotContain("SSH-2.0-OpenSSH");
        assertThat(run.exit()).isNotZero();
        awaitLines(from, "password_second_factor_due");
        assertThat(auditLines(from)).noneMatch(l -> l.contains("remote.open") || l.contains("session.rotate"));
    }

    // --- second factor ---------------------------------------------------------------------------------------------

    @Test
    void aWrongCodeIsRefusedWithANoteAndTheRightOneThenAccepted() throws Exception {
        int from = auditSize();
        String right = totp.code(aliceSecret);
        OpenSsh.Run run = jump(List.of(wrong(right), right), "db01", "echo second-try");
        assertThat(run.output()).contains("That code was not accepted").contains("second-try");
        assertThat(run.exit()).isZero();
        assertThat(awaitLines(from, "\"event.reason\":\"wrong_code\"")).anyMatch(l ->
                l.contains("\"event.action\":\"factor.verify\"") && l.contains("\"event.outcome\":\"failure\""));
    }

    @Test
    void onlyWrongCodesEndInPermissionDenied() throws Exception {
        int from = auditSize();
        String right = totp.code(aliceSecret);
        OpenSsh.Run run = jump(List.of(wrong(right), wrong(right), wrong(right)), "db01", "echo never");
        assertThat(run.output()).contains("That code was not accepted").contains("Permission denied")
                .doesNotContain("never");
        assertThat(run.exit()).isNotZero();
        assertThat(awaitCount(from, 3, "\"event.reason\":\"wrong_code\"")).isGreaterThanOrEqualTo(3);
        assertThat(auditLines(from)).noneMatch(l -> l.contains("remote.open"));
    }

    @Test
    void aCodeUsedOnTheWebIsRefusedOverSshAndTheReverse() throws Exception {
        int from = auditSize();
        String code = totp.code(aliceSecret);
        String cookie = totp.password("alice", SignInGateway.PASSWORD, "https://app.test:" + gateway.port + "/");
        assertThat(totp.submitCode(cookie, code).status()).isEqualTo(303);

        OpenSsh.Run replayed = jump(List.of(code), "db01", "echo never");
        assertThat(replayed.output()).contains("That code was not accepted").doesNotContain("never");
        assertThat(replayed.exit()).isNotZero();
        assertThat(awaitLines(from, "\"event.action\":\"factor.replay\"")).anyMatch(l ->
                l.contains("\"event.action\":\"factor.replay\"") && l.contains("\"url.domain\":\"ssh\""));

        clock.advance(Duration.ofSeconds(30));
        String next = totp.code(aliceSecret);
        assertThat(jump(List.of(next), "db01", "echo over-ssh").output()).contains("over-ssh");
        String webCookie = totp.password("alice", SignInGateway.PASSWORD, "https://app.test:" + gateway.port + "/");
        RawResponse web = totp.submitCode(webCookie, next);
        assertThat(web.status()).isEqualTo(401);
    }

    @Test
    void aLockedAccountIsToldSoAndNeverAskedForACode() throws Exception {
        Regulator regulator = regulator();
        for (int i = 0; i < 50 && !(regulator.check(CounterKind.PASSWORD, "bob", java.net.InetAddress
                .getByName("192.0.2.1")) instanceof org.portcullis.regulation.Verdict.Locked); i++) {
            regulator.recordFailure(CounterKind.PASSWORD, "bob", java.net.InetAddress.getByName("192.0.2.1"));
        }
        int from = auditSize();
        OpenSsh.Run run = openSsh.ssh(SignInGateway.BOB_PASSWORD, List.of("123456"), "-J", "bob@gateway",
                openSsh.targetUser + "@db01", "echo never");
        assertThat(run.output()).contains("portcullis: too many failed sign-ins: this account")
                .doesNotContain("code:").doesNotContain("never");
        assertThat(run.exit()).isNotZero();
        assertThat(awaitLines(from, "\"event.reason\":\"locked_account\"")).anyMatch(l ->
                l.contains("\"event.action\":\"user.sign_in\"") && l.contains("\"user.name\":\"bob\""));
    }

    @Test
    void aUserWithoutASecondFactorIsToldToEnrolOne() throws Exception {
        OpenSsh.Run run = openSsh.ssh(SignInGateway.BOB_PASSWORD, List.of(), "-J", "bob@gateway",
                openSsh.targetUser + "@db01", "echo never");
        assertThat(run.output()).contains("portcullis: SSH needs a second factor").doesNotContain("never");
        assertThat(run.exit()).isNotZero();
    }

    // --- what the gateway refuses ------------------------------------------------------------------------------------

    @Test
    void aTargetNotListedOrNotAllowedIsRefused() throws Exception {
        int from = auditSize();
        OpenSsh.Run unlisted = jump(totp.code(aliceSecret), "intranet.example.org", "echo never");
        assertThat(unlisted.output()).contains("administratively prohibited: portcullis: 'intranet.example.org:22'"
                + " is not a target you may reach through this gateway").doesNotContain("never");
        assertThat(unlisted.exit()).isNotZero();
        clock.advance(Duration.ofSeconds(30));
        OpenSsh.Run notAllowed = jump(totp.code(aliceSecret), "ops", "echo never");
        assertThat(notAllowed.output()).contains("administratively prohibited: portcullis: 'ops:22' is not a target"
                + " you may reach through this gateway").doesNotContain("never");
        List<String> lines = awaitLines(from, "\"event.reason\":\"target_not_allowed\"");
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"ssh.refuse\"")
                && l.contains("\"event.reason\":\"target_not_listed\"")
                && l.contains("\"url.domain\":\"intranet.example.org:22\""));
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"ssh.refuse\"") && l.contains("ops:22"));
        assertThat(lines).noneMatch(l -> l.contains("remote.open"));
    }

    @Test
    void aShellOrACommandOnTheGatewayIsRefused() throws Exception {
        int from = auditSize();
        OpenSsh.Run command = openSsh.ssh(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)),
                "alice@gateway", "id");
        assertThat(command.output()).contains("administratively prohibited: portcullis: this gateway runs no shell"
                + " and no command; use it as a jump host");
        assertThat(command.exit()).isNotZero();
        clock.advance(Duration.ofSeconds(30));
        OpenSsh.Run shell = openSsh.ssh(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)), "-tt",
                "alice@gateway");
        assertThat(shell.output()).contains("portcullis: this gateway runs no shell");
        assertThat(shell.exit()).isNotZero();
        assertThat(awaitCount(from, 2, "\"event.action\":\"ssh.refuse\"", "session_channel")).isEqualTo(2);
    }

    @Test
    void remoteForwardingIsRefused() throws Exception {
        int from = auditSize();
        OpenSsh.Run run = openSsh.ssh(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)), "-N", "-R",
                "127.0.0.1:" + OpenSsh.freePort() + ":127.0.0.1:" + openSsh.targetPort, "alice@gateway");
        assertThat(run.output()).contains("portcullis: remote port forwarding (-R) is not offered");
        assertThat(run.exit()).isNotZero();
        assertThat(awaitLines(from, "\"event.reason\":\"remote_forwarding\"")).anyMatch(l ->
                l.contains("\"event.action\":\"ssh.refuse\""));
    }

    @Test
    void localForwardingIsRefused() throws Exception {
        int from = auditSize();
        int local = OpenSsh.freePort();
        Process forwarding = openSsh.start(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)), "-N", "-L",
                "127.0.0.1:" + local + ":db01:22", "alice@gateway");
        try {
            awaitListening(local, forwarding);
            try (Socket through = new Socket("127.0.0.1", local)) {
                through.setSoTimeout(10_000);
                assertThat(through.getInputStream().read()).isEqualTo(-1);
            }
            awaitLines(from, "\"event.reason\":\"port_forwarding\"");
            // The refusal is audited before it goes out to the client, which prints it a moment later.
            awaitOutput(forwarding, "administratively prohibited: portcullis: port forwarding (-L, -D) is not offered");
        } finally {
            forwarding.destroy();
            forwarding.waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(auditLines(from)).noneMatch(l -> l.contains("remote.open"));
    }

    // --- the relay ---------------------------------------------------------------------------------------------------

    @Test
    void everyByteATargetSendsBeforeClosingReachesTheClient() throws Exception {
        // The target writes 8 MiB as fast as it can and closes at once: every byte must reach the client before the
        // channel's EOF, none twice (counted by wc -c behind the client's -W stream).
        OpenSsh.Run run = openSsh.sshCountingOutput(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)), "-W",
                "burst:9", "alice@gateway");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).containsPattern("(?m)^\\s*" + BURST_BYTES + "\\s*$");
    }

    // --- the stream lives no longer than its session -----------------------------------------------------------------

    @Test
    void revokingTheSessionCutsTheOpenStreamWithinASecond() throws Exception {
        int from = auditSize();
        Process held = openSsh.start(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)), "-J",
                "alice@gateway", openSsh.targetUser + "@db01", "echo stream-open; sleep 60");
        try {
            awaitOutput(held, "stream-open");
            String listed = cli("sessions", "list", "--data-dir", gateway.dataDir.toString());
            assertThat(listed).contains("remote ssh 127.0.0.1:" + openSsh.targetPort + " (route db01)");

            assertThat(cli("sessions", "revoke", "--user", "alice", "--data-dir", gateway.dataDir.toString()))
                    .startsWith("revoked");
            long revoked = System.nanoTime();
            assertThat(held.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(ONE_SECOND);
            assertThat(openSsh.output(held)).contains("portcullis: your session ended (revoked)");
        } finally {
            held.destroyForcibly();
        }
        String close = awaitLine(from, "\"event.action\":\"remote.close\"");
        assertThat(field(close, "event.reason")).isEqualTo("revoked");
        assertThat(field(close, "user.name")).isEqualTo("alice");
        assertThat(Long.parseLong(field(close, "source.bytes"))).isPositive();
        assertThat(Long.parseLong(field(close, "destination.bytes"))).isPositive();
    }

    @Test
    void aReloadThatTakesTheTargetAwayCutsTheStreamWithinASecond() throws Exception {
        int from = auditSize();
        Process held = openSsh.start(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)), "-J",
                "alice@gateway", openSsh.targetUser + "@db01", "echo stream-open; sleep 60");
        try {
            awaitOutput(held, "stream-open");
            java.nio.file.Files.writeString(config, originalConfig.replaceFirst("groups: \\[clinicians\\]",
                    "groups: [admins]"));
            assertThat(reloader.reload()).isEqualTo(org.portcullis.server.ConfigReloader.Outcome.APPLIED);
            long reloaded = System.nanoTime();
            assertThat(held.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - reloaded)).isLessThan(ONE_SECOND);
        } finally {
            held.destroyForcibly();
            java.nio.file.Files.writeString(config, originalConfig);
            assertThat(reloader.reload()).isEqualTo(org.portcullis.server.ConfigReloader.Outcome.APPLIED);
        }
        assertThat(field(awaitLine(from, "\"event.action\":\"remote.close\""), "event.reason"))
                .isEqualTo("policy_changed");
    }

    @Test
    void aStreamSilentForTheTargetsIdleTimeoutIsCut() throws Exception {
        int from = auditSize();
        Process held = openSsh.start(SignInGateway.PASSWORD, List.of(totp.code(aliceSecret)), "-J",
                "alice@gateway", openSsh.targetUser + "@db01", "echo stream-open; sleep 60");
        try {
            awaitOutput(held, "stream-open");
            var tunnels = gateway.server.signIn().orElseThrow().tunnels();
            tunnels.checkNow().get(5, TimeUnit.SECONDS); // takes the traffic seen so far
            clock.advance(Duration.ofMinutes(9));
            assertThat(tunnels.checkNow().get(5, TimeUnit.SECONDS)).isZero();
            clock.advance(Duration.ofMinutes(2));
            long silent = System.nanoTime();
            assertThat(held.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - silent)).isLessThan(ONE_SECOND);
        } finally {
            held.destroyForcibly();
        }
        assertThat(field(awaitLine(from, "\"event.action\":\"remote.close\""), "event.reason"))
                .isEqualTo("idle_timeout");
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    static void sendBurstsAndClose() {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'b');
        while (!burst.isClosed()) {
            try (Socket socket = burst.accept()) {
                java.io.OutputStream out = socket.getOutputStream();
                for (int sent = 0; sent < BURST_BYTES; sent += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
            } catch (java.io.IOException e) {
                // closed at the end of the class, or the gateway went away
            }
        }
    }

    static OpenSsh.Run jump(String code, String target, String command) throws Exception {
        return jump(List.of(code), target, command);
    }

    static OpenSsh.Run jump(List<String> codes, String target, String command) throws Exception {
        return openSsh.ssh(SignInGateway.PASSWORD, codes, "-J", "alice@gateway",
                openSsh.targetUser + "@" + target, command);
    }

    static String wrong(String right) {
        return String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
    }

    static SshJumpHost jumpHost() {
        return gateway.server.jumpHost().orElseThrow();
    }

    static Regulator regulator() {
        return gateway.server.signIn().orElseThrow().regulators()
                .forConfig(gateway.server.runtime().snapshot().config());
    }

    static int auditSize() throws Exception {
        return gateway.auditLines().size();
    }

    static List<String> auditLines(int from) throws Exception {
        List<String> lines = gateway.auditLines();
        return lines.subList(Math.min(from, lines.size()), lines.size());
    }

    static List<String> awaitLines(int from, String... parts) throws Exception {
        List<String> lines = gateway.awaitAuditLine(from, parts);
        assertThat(lines).as("audit lines with " + String.join(" and ", parts))
                .anyMatch(l -> java.util.Arrays.stream(parts).allMatch(l::contains));
        return lines;
    }

    static String awaitLine(int from, String... parts) throws Exception {
        return awaitLines(from, parts).stream()
                .filter(l -> java.util.Arrays.stream(parts).allMatch(l::contains)).findFirst().orElseThrow();
    }

    /** How many audit lines after {@code from} contain all of {@code parts}, once there are {@code count} (5 s at most). */
    static long awaitCount(int from, long count, String... parts) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            long found = auditLines(from).stream()
                    .filter(l -> java.util.Arrays.stream(parts).allMatch(l::contains)).count();
            if (found >= count || System.nanoTime() > deadline) {
                return found;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
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

    static void assertNoSecretsIn(List<String> lines) {
        assertThat(String.join("\n", lines)).doesNotContain(SignInGateway.PASSWORD).doesNotContain(aliceSecret);
    }

    static void awaitOutput(Process process, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!openSsh.output(process).contains(text)) {
            assertThat(System.nanoTime()).as("ssh printed " + text + ": " + openSsh.output(process))
                    .isLessThan(deadline);
            assertThat(process.isAlive()).as("ssh still running: " + openSsh.output(process)).isTrue();
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    static void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                assertThat(process.isAlive()).as("ssh still running: " + openSsh.output(process)).isTrue();
                assertThat(System.nanoTime()).as("-L listener up").isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }

    static String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = PortcullisMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        int exit = cli.execute(args);
        assertThat(exit).as("portcullis " + String.join(" ", args)).isZero();
        return out.toString();
    }
}
