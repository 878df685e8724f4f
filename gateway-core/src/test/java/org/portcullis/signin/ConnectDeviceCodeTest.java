package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.server.ConfigReloader;
import picocli.CommandLine;

/**
 * The device-code sign-in of {@code portcullis connect} (issue 17 point 2), through the running gateway with the real
 * command ({@code portcullis connect --device}, as a user runs it): the command prints a code; Alice, signed in at the
 * portal with both factors (from another device), types it, sees the requesting address and the service, approves;
 * the command gets its token and carries bytes to a TCP echo service. Then what must not work: a code twice, a code
 * after 5 minutes (hand-moved clock), a denied code, another account's or a half-signed-in session, and the whole
 * flow while {@code connect.device_code} is off (the default) — refused on both sides with a clear message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ConnectDeviceCodeTest {
    static final Pattern USER_CODE = Pattern.compile("enter the code ([A-Z0-9]{4}-[A-Z0-9]{4})");
    static final Pattern LISTENING = Pattern.compile("echo on 127\\.0\\.0\\.1:(\\d+)");
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern JSON_FIELD = Pattern.compile("\"(device_code|user_code)\":\"([^\"]+)\"");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;
    TcpEchoTarget echo;
    String aliceSecret;
    String bobSecret;
    Path config;
    String enabledConfig;
    ConfigReloader reloader;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        echo = new TcpEchoTarget();
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, """
                tcp_targets:
                  - name: echo
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                connect:
                  device_code: true
                """.formatted(echo.port()));
        flow = new TotpFlow(gateway, clock);
        aliceSecret = flow.enrol("alice");
        bobSecret = flow.enrol("bob");
        config = dir.resolve("portcullis.yaml");
        enabledConfig = Files.readString(config);
        reloader = new ConfigReloader(config, gateway.server);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void theCommandIsApprovedInThePortalAndCarriesBytes() throws Exception {
        int from = gateway.auditLines().size();
        Command command = Command.start(gateway, "--device", "echo");
        try {
            String code = command.await(USER_CODE);
            assertThat(command.output()).contains("To sign in, open " + gateway.portalOrigin()
                    + "/.portcullis/connect/device-approve").contains("Enter it only if you started this command");
            int port = Integer.parseInt(command.await(LISTENING));

            String alice = ConnectBrowser.twoFactorCookie(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
            RawResponse page = approvalPage(alice, code);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.bodyText()).contains("echo").contains("127.0.0.1")
                    .contains("Approve only if you started portcullis connect yourself");
            RawResponse approved = decide(alice, page, code, "approve");
            assertThat(approved.status()).isEqualTo(200);
            assertThat(approved.bodyText()).contains("Approved");
            command.await(Pattern.compile("(Signed in): connections to echo"));

            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write("hello through a device code\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] back = in.readNBytes("hello through a device code\n".length());
                assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("hello through a device code\n");
            }

            // The code worked once: the page says so now.
            RawResponse again = approvalPage(alice, code);
            assertThat(again.status()).isEqualTo(410);
            assertThat(again.bodyText()).contains("already used");
        } finally {
            command.stop();
        }
        List<String> lines = gateway.awaitAuditLine(from, "\"event.action\":\"remote.open\"");
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"connect.device\"")
                && l.contains("\"event.reason\":\"code_issued\""));
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"connect.device\"")
                && l.contains("\"event.reason\":\"approved\"") && l.contains("\"user.name\":\"alice\""));
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"remote.open\"") && l.contains("\"route\":\"echo\""));
    }

    @Test
    void aPolledApprovalGivesItsTokenOnce() throws Exception {
        Codes codes = requestCodes();
        String alice = ConnectBrowser.twoFactorCookie(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        assertThat(poll(codes.device()).bodyText()).contains("\"error\":\"authorization_pending\"");
        assertThat(decide(alice, approvalPage(alice, codes.user()), codes.user(), "approve").status()).isEqualTo(200);

        RawResponse first = poll(codes.device());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bodyText()).containsPattern("\"access_token\":\"[A-Za-z0-9_-]{43}\"");
        RawResponse second = poll(codes.device());
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.bodyText()).contains("\"error\":\"invalid_grant\"");
    }

    @Test
    void aCodeExpiresAfterFiveMinutes() throws Exception {
        Codes codes = requestCodes();
        String alice = ConnectBrowser.twoFactorCookie(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        clock.advance(Duration.ofMinutes(5));

        RawResponse page = approvalPage(alice, codes.user());
        assertThat(page.status()).isEqualTo(410);
        assertThat(page.bodyText()).contains("This code expired");
        RawResponse polled = poll(codes.device());
        assertThat(polled.status()).isEqualTo(400);
        assertThat(polled.bodyText()).contains("\"error\":\"expired_token\"");
    }

    @Test
    void aDeniedCodeGivesNoToken() throws Exception {
        Codes codes = requestCodes();
        String alice = ConnectBrowser.twoFactorCookie(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        RawResponse denied = decide(alice, approvalPage(alice, codes.user()), codes.user(), "deny");
        assertThat(denied.bodyText()).contains("Denied");
        assertThat(poll(codes.device()).bodyText()).contains("\"error\":\"access_denied\"");
    }

    @Test
    void aUserTheServiceDoesNotAllowOrAHalfSignedInSessionCannotApprove() throws Exception {
        int from = gateway.auditLines().size();
        Codes codes = requestCodes();
        String bob = ConnectBrowser.twoFactorCookie(flow, "bob", SignInGateway.BOB_PASSWORD, bobSecret);
        RawResponse bobs = approvalPage(bob, codes.user());
        assertThat(bobs.status()).isEqualTo(403);
        assertThat(bobs.bodyText()).contains("Your account may not connect to echo");
        String pending = flow.password("alice", SignInGateway.PASSWORD, "/.portcullis/");
        RawResponse half = approvalPage(pending, codes.user());
        assertThat(half.status()).isEqualTo(303);
        assertThat(half.header("Location")).startsWith("/.portcullis/second-factor");
        assertThat(poll(codes.device()).bodyText()).contains("\"error\":\"authorization_pending\"");
        assertThat(gateway.awaitAuditLine(from, "\"event.reason\":\"target_not_allowed\"")).anyMatch(l ->
                l.contains("\"event.action\":\"connect.device\"") && l.contains("\"user.name\":\"bob\""));
    }

    @Test
    void offByDefaultBothSidesSaySo() throws Exception {
        Files.writeString(config, enabledConfig.replace("connect:\n  device_code: true\n", ""));
        assertThat(reloader.reload()).isEqualTo(ConfigReloader.Outcome.APPLIED);
        try {
            assertThat(gateway.server.runtime().snapshot().config().connect().deviceCode()).isFalse();
            RawResponse start = gateway.send("POST", "login.test", "/.portcullis/connect/device", "", "target=echo");
            assertThat(start.status()).isEqualTo(403);
            assertThat(start.bodyText()).contains("\"error\":\"device_code_disabled\"")
                    .doesNotContain("user_code");
            String alice = ConnectBrowser.twoFactorCookie(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
            RawResponse page = gateway.navigate("login.test", "/.portcullis/connect/device-approve", alice);
            assertThat(page.status()).isEqualTo(404);
            assertThat(page.bodyText()).contains("Device-code sign-in is turned off on this gateway");

            Command command = Command.start(gateway, "--device", "echo");
            try {
                assertThat(command.awaitExit()).isEqualTo(1);
                assertThat(command.output()).contains("the gateway does not allow device-code sign-in"
                        + " (connect.device_code is off)").doesNotContain("enter the code");
            } finally {
                command.stop();
            }
        } finally {
            Files.writeString(config, enabledConfig);
            assertThat(reloader.reload()).isEqualTo(ConfigReloader.Outcome.APPLIED);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    record Codes(String device, String user) {
    }

    Codes requestCodes() throws Exception {
        RawResponse start = gateway.send("POST", "login.test", "/.portcullis/connect/device", "", "target=echo");
        assertThat(start.status()).as(start.bodyText()).isEqualTo(200);
        String device = null;
        String user = null;
        Matcher field = JSON_FIELD.matcher(start.bodyText());
        while (field.find()) {
            if (field.group(1).equals("device_code")) {
                device = field.group(2);
            } else {
                user = field.group(2);
            }
        }
        assertThat(start.bodyText()).doesNotContain("verification_uri_complete");
        return new Codes(device, user);
    }

    RawResponse poll(String deviceCode) throws Exception {
        return gateway.send("POST", "login.test", "/.portcullis/connect/token", "",
                "grant_type=" + SignInGateway.encode("urn:ietf:params:oauth:grant-type:device_code")
                        + "&device_code=" + deviceCode);
    }

    RawResponse approvalPage(String cookie, String userCode) throws Exception {
        return gateway.navigate("login.test", "/.portcullis/connect/device-approve?user_code="
                + SignInGateway.encode(userCode), cookie);
    }

    RawResponse decide(String cookie, RawResponse page, String userCode, String decision) throws Exception {
        Matcher csrf = CSRF.matcher(page.bodyText());
        assertThat(csrf.find()).as("a form on " + page.bodyText()).isTrue();
        return gateway.send("POST", "login.test", "/.portcullis/connect/device-approve", "Origin: "
                + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\n" + SignInGateway.cookieHeader(cookie),
                "csrf=" + SignInGateway.encode(csrf.group(1)) + "&user_code=" + SignInGateway.encode(userCode)
                        + "&decision=" + decision);
    }

    /** {@code portcullis connect … --device NAME} as a user runs it, on a thread, with what it prints. */
    static final class Command {
        private final StringWriter printed = new StringWriter();
        private final Thread thread;
        private final AtomicInteger exit = new AtomicInteger(-1);

        private Command(SignInGateway gateway, String... args) {
            CommandLine cli = PortcullisMain.commandLine();
            PrintWriter writer = new PrintWriter(printed, true);
            cli.setOut(writer);
            cli.setErr(writer);
            List<String> all = new java.util.ArrayList<>(List.of("connect", "--gateway", gateway.portalOrigin(),
                    "--connect-to", "127.0.0.1", "--ca-file", gateway.certs.caCertificatePem().toString(),
                    "--listen", "127.0.0.1:0"));
            all.addAll(List.of(args));
            thread = new Thread(() -> exit.set(cli.execute(all.toArray(String[]::new))), "connect-command");
            thread.setDaemon(true);
        }

        static Command start(SignInGateway gateway, String... args) {
            Command command = new Command(gateway, args);
            command.thread.start();
            return command;
        }

        String output() {
            synchronized (printed) {
                return printed.toString();
            }
        }

        /** The first group of {@code pattern} once the command printed it (30 s at most). */
        String await(Pattern pattern) {
            return poll(() -> {
                Matcher m = pattern.matcher(output());
                return m.find() ? m.group(1) : null;
            }, "the command printed " + pattern);
        }

        int awaitExit() throws InterruptedException {
            thread.join(Duration.ofSeconds(30).toMillis());
            return exit.get();
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10).toMillis());
        }

        private <T> T poll(Supplier<T> found, String what) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                T value = found.get();
                if (value != null) {
                    return value;
                }
                assertThat(System.nanoTime()).as(what + ": " + output()).isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }
}
