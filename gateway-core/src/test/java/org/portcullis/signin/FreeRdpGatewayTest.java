package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;

/**
 * FreeRDP 2.11 (Debian {@code freerdp2-x11}, unmodified) through the gateway's RD Gateway endpoint, after a password
 * and TOTP sign-in at the portal: to Debian's xrdp in front of a throwaway Xvnc (a real desktop session: {@code
 * +auth-only} exits 0 only once the session is active), over the HTTP transport and the WebSocket transport and with
 * the downloaded .rdp file itself; and to a recording target (what arrives is the client's RDP bytes, and the audit
 * counts them). One gateway, one xrdp and one Xvnc for the whole class. {@code login.test} resolves to 127.0.0.1 for
 * FreeRDP through a private mount of /etc/hosts ({@code unshare -m}).
 */
@ExtendWith(RemoteDesktopTools.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreeRdpGatewayTest {
    @TempDir
    static Path dir;

    MutableClock clock;
    SignInGateway gateway;
    TotpFlow flow;
    RecordingTarget recorder;
    String secret;
    int xrdpPort;
    Process xvnc;
    Process xrdp;
    Path hosts;

    @BeforeAll
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        recorder = new RecordingTarget();
        xrdpPort = freePort();
        startXrdp();
        gateway = SignInGateway.start(dir.resolve("gw"), clock, TotpFlow.POLICY, """
                remote_desktops:
                  - name: ward-pc
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                  - name: recorder
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                """.formatted(xrdpPort, recorder.port()));
        flow = new TotpFlow(gateway, clock);
        secret = flow.enrol("alice");
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost login.test\n");
    }

    private void startXrdp() throws Exception {
        int vncPort = freePort();
        int display = 100 + (int) (ProcessHandle.current().pid() % 400);
        while (Files.exists(Path.of("/tmp/.X11-unix/X" + display))) {
            display++;
        }
        Path x = Files.createDirectories(dir.resolve("xrdp"));
        org.portcullis.fixtures.TestCertificates certs = org.portcullis.fixtures.TestCertificates.create(x.resolve("c"));
        xvnc = new ProcessBuilder("/usr/bin/Xvnc", ":" + display, "-rfbport", String.valueOf(vncPort), "-localhost",
                "-SecurityTypes", "None", "-geometry", "1024x768", "-depth", "24", "-nolisten", "tcp")
                .redirectErrorStream(true).redirectOutput(x.resolve("xvnc.log").toFile()).start();
        Path ini = Files.writeString(x.resolve("xrdp.ini"), """
                [Globals]
                port=tcp://127.0.0.1:%d
                fork=false
                security_layer=tls
                certificate=%s
                key_file=%s
                crypt_level=none
                allow_channels=true
                autorun=vnc1
                [Logging]
                LogFile=%s
                LogLevel=INFO
                EnableSyslog=false
                [vnc1]
                name=vnc
                lib=libvnc.so
                ip=127.0.0.1
                port=%d
                username=na
                password=na
                """.formatted(xrdpPort, certs.certificatePem(), certs.privateKeyPem(), x.resolve("xrdp.log"),
                vncPort));
        awaitPort(vncPort);
        xrdp = new ProcessBuilder("/usr/sbin/xrdp", "--nodaemon", "--config", ini.toString())
                .redirectErrorStream(true).redirectOutput(x.resolve("xrdp.out").toFile()).start();
        awaitPort(xrdpPort);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        recorder.close();
        for (Process p : new Process[] {xrdp, xvnc}) {
            if (p != null) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    String signedIn() throws Exception {
        clock.advance(Duration.ofSeconds(31));
        String cookie = flow.password("alice", SignInGateway.PASSWORD, "");
        RawResponse done = flow.submitCode(cookie, flow.code(secret));
        String rotated = SignInGateway.cookiePair(done, "__Host-portcullis");
        return rotated == null ? cookie : rotated;
    }

    /** The downloaded .rdp file of {@code desktop}. */
    String rdpFile(String cookie, String desktop) throws Exception {
        String csrf = flow.token("/.portcullis/desktops", cookie);
        RawResponse file = flow.post("/.portcullis/desktops", cookie, csrf, "desktop=" + desktop);
        assertThat(file.status()).isEqualTo(200);
        return file.bodyText();
    }

    static String token(String file) {
        Matcher m = RemoteDesktopGatewayTest.TOKEN.matcher(file);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Runs xfreerdp (under xvfb-run, with login.test on loopback) and returns its exit code; output kept in a file. */
    int freerdp(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --bind " + hosts + " /etc/hosts && exec \"$@\"", "_", "/usr/bin/xvfb-run", "-a",
                "/usr/bin/xfreerdp"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "freerdp", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            return -1;
        }
        lastLog = Files.readString(log);
        return p.exitValue();
    }

    String lastLog = "";

    String gatewayAddress() {
        return "/g:login.test:" + gateway.port;
    }

    @Test
    void aRealDesktopSessionOverTheHttpTransport() throws Exception {
        String token = token(rdpFile(signedIn(), "ward-pc"));
        int exit = freerdp(Duration.ofSeconds(60), "/v:127.0.0.1:" + xrdpPort, gatewayAddress(),
                "/gt:http,no-websockets", "/gat:" + token, "/cert:ignore", "/sec:tls", "/u:x", "/p:y",
                "+auth-only");
        assertThat(exit).as(lastLog).isZero();
    }

    @Test
    void aRealDesktopSessionOverTheWebSocketTransport() throws Exception {
        String token = token(rdpFile(signedIn(), "ward-pc"));
        int exit = freerdp(Duration.ofSeconds(60), "/v:127.0.0.1:" + xrdpPort, gatewayAddress(), "/gt:http",
                "/gat:" + token, "/cert:ignore", "/sec:tls", "/u:x", "/p:y", "+auth-only");
        assertThat(exit).as(lastLog).isZero();
    }

    @Test
    void theDownloadedRdpFileOpensTheDesktop() throws Exception {
        String file = rdpFile(signedIn(), "ward-pc");
        Path rdp = Files.writeString(dir.resolve("ward-pc.rdp"), file);
        int exit = freerdp(Duration.ofSeconds(60), rdp.toString(), "/cert:ignore", "/sec:tls", "/u:x", "/p:y",
                "+auth-only");
        assertThat(exit).as(lastLog).isZero();
    }

    @Test
    void withoutAValidTokenFreeRdpGetsNoDesktop() throws Exception {
        int exit = freerdp(Duration.ofSeconds(60), "/v:127.0.0.1:" + xrdpPort, gatewayAddress(),
                "/gt:http,no-websockets", "/gat:" + "A".repeat(43), "/cert:ignore", "/sec:tls", "/u:x", "/p:y",
                "+auth-only");
        assertThat(exit).as(lastLog).isNotZero();
    }

    @Test
    void theRecordingTargetReceivesTheClientsRdpBytesAndTheAuditCountsThem() throws Exception {
        String token = token(rdpFile(signedIn(), "recorder"));
        int before = gateway.auditLines().size();
        byte[] had = recorder.received();
        Thread hangUp = new Thread(() -> {
            byte[] got = recorder.awaitBytes(had.length + 11, Duration.ofSeconds(30));
            try {
                Thread.sleep(300); // let the rest of the first packet arrive, not a clock
                recorder.hangUp();
            } catch (Exception ignored) {
                // the test's assertions say what went wrong
            }
        });
        hangUp.start();
        freerdp(Duration.ofSeconds(60), "/v:127.0.0.1:" + recorder.port(), gatewayAddress(),
                "/gt:http,no-websockets", "/gat:" + token, "/cert:ignore", "/u:x", "/p:y", "+auth-only");
        hangUp.join();
        byte[] all = recorder.received();
        byte[] arrived = java.util.Arrays.copyOfRange(all, had.length, all.length);
        // An X.224 connection request in one TPKT (version 3, length in bytes 2-3): exactly what FreeRDP sends first.
        assertThat(arrived.length).isGreaterThanOrEqualTo(11);
        assertThat(arrived[0]).isEqualTo((byte) 3);
        int tpktLength = (arrived[2] & 0xFF) << 8 | (arrived[3] & 0xFF);
        assertThat(arrived.length).isEqualTo(tpktLength);
        assertThat(arrived[5] & 0xF0).as("X.224 CR").isEqualTo(0xE0);
        List<String> closed = gateway.awaitAuditLine(before, "\"event.action\":\"remote.close\"",
                "\"source.bytes\":" + arrived.length + ",");
        assertThat(String.join("\n", closed)).doesNotContain(token);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        throw new AssertionError("nothing listens on " + port);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
