package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.WebSocketFrame;
import org.portcullis.fixtures.WebSocketTestClient;
import org.portcullis.ops.AdminClient;

/**
 * SIGTERM on a real {@code portcullis run} process (issue 19 §3): it stops accepting, answers the request in flight,
 * sends the open WebSocket a close frame (1001 Going Away), writes out the audit trail and the access log and exits
 * 0; a second SIGTERM during the wait exits at once. The process is started as {@code ./portcullis run} starts it
 * (the main class, the production logback config), the upstream is the echo fixture in this JVM.
 */
class GracefulStopProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A JVM starting on a busy 2-core machine (several builds at once) can take long. */
    private static final Duration START = Duration.ofSeconds(90);
    private static final String AUDIT_KEY = "b2".repeat(32);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private EchoUpstream upstream;

    @AfterEach
    void stop() throws Exception {
        for (Process process : started) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private record Running(Process process, int port, AdminClient admin) { }

    private Running run(String grace) throws Exception {
        upstream = EchoUpstream.start();
        upstream.slowDelay(Duration.ofMillis(20));
        int port = RunCommandTest.freePort();
        int adminPort = RunCommandTest.freePort();
        Path config = dir.resolve("portcullis.yaml");
        Files.writeString(config, """
                server:
                  listeners:
                    - address: 127.0.0.1:%d
                  admin:
                    address: 127.0.0.1:%d
                  shutdown_grace: %s
                  access_log:
                    file: %s
                routes:
                  - name: app
                    host: app.test
                    upstream: http://127.0.0.1:%d
                    upstream_timeout: 60s
                access_control:
                  default_policy: bypass
                audit:
                  file: %s
                  key: "%s"
                  log_allowed: true
                """.formatted(port, adminPort, grace, dir.resolve("access.log"), upstream.port(),
                dir.resolve("audit.jsonl"), AUDIT_KEY));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
                PortcullisMain.class.getName(), "run", "--config", config.toString());
        builder.redirectOutput(dir.resolve("out.txt").toFile());
        builder.redirectError(dir.resolve("err.txt").toFile());
        Process process = builder.start();
        started.add(process);
        awaitFile(process, "out.txt", "Portcullis is running on");
        return new Running(process, port, new AdminClient(new InetSocketAddress("127.0.0.1", adminPort)));
    }

    /** Polls a file the process writes (async: a process starting) until {@code marker} appears. */
    private String awaitFile(Process process, String name, String marker) throws Exception {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            Path file = dir.resolve(name);
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (text.contains(marker)) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError("process ended with " + process.exitValue() + ": " + text
                        + Files.readString(dir.resolve("err.txt")));
            }
            Thread.sleep(50); // polling another process, not waiting for time to pass
        }
        throw new AssertionError(name + " did not get '" + marker + "' within " + START + ": "
                + Files.readString(dir.resolve("err.txt")));
    }

    /** Polls until {@code check} holds (async effects in another process). */
    private static void awaitTrue(String what, ThrowingCheck check) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + " within " + WAIT);
            }
            Thread.sleep(20); // polling another process, not waiting for time to pass
        }
    }

    private interface ThrowingCheck {
        boolean holds() throws Exception;
    }

    private static RawHttpClient openWebSocket(int port) throws IOException {
        String key = WebSocketTestClient.newKey();
        RawHttpClient socket = RawHttpClient.connect(port);
        socket.send(WebSocketTestClient.upgradeRequest("app.test", "/misbehave/websocket-accept/chat", key,
                "http://app.test"));
        RawResponse switched = socket.readResponse(WAIT);
        assertThat(switched.status()).isEqualTo(101);
        socket.send(WebSocketTestClient.maskedTextFrame("still here"));
        assertThat(socket.readWebSocketFrame(WAIT).text()).isEqualTo("still here");
        return socket;
    }

    /** {@code portcullis health} (the container image's HEALTHCHECK) against the running process's admin listener. */
    private static int health(int adminPort) {
        picocli.CommandLine health = PortcullisMain.commandLine();
        health.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        health.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        return health.execute("health", "--address", "127.0.0.1:" + adminPort);
    }

    @Test
    void sigtermAnswersTheRequestInFlightClosesTheWebSocketWithACloseFrameFlushesAndExitsZero() throws Exception {
        Running gateway = run("20s");
        int adminPort = gateway.admin().port();
        assertThat(health(adminPort)).as("portcullis health: ready").isZero();
        try (RawHttpClient webSocket = openWebSocket(gateway.port());
             RawHttpClient slow = RawHttpClient.connect(gateway.port())) {
            // SIGHUP reloads without cutting the open tunnel.
            new ProcessBuilder("kill", "-HUP", Long.toString(gateway.process().pid())).start().waitFor();
            awaitTrue("SIGHUP reloaded the config", () -> gateway.admin().scrape()
                    .value("portcullis_config_reloads_total", "result", "success") == 1);
            webSocket.send(WebSocketTestClient.maskedTextFrame("after the reload"));
            assertThat(webSocket.readWebSocketFrame(WAIT).text()).isEqualTo("after the reload");
            // 100 bytes, 20 ms each: the answer takes about 2 s, so SIGTERM comes while it is in flight.
            slow.send("GET /misbehave/slow-body/bytes/100 HTTP/1.1\r\nHost: app.test\r\n\r\n");
            awaitTrue("the upstream got the slow request", () -> upstream.requests().stream()
                    .anyMatch(r -> r.requestLine().contains("/misbehave/slow-body")));

            gateway.process().destroy(); // SIGTERM

            WebSocketFrame close = webSocket.readWebSocketFrame(WAIT);
            awaitTrue("readiness turns false while draining",
                    () -> gateway.admin().get("/health/ready").statusCode() == 503);
            HttpResponse<String> draining = gateway.admin().get("/health/ready");
            Throwable newConnection = catchThrowable(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 2000);
                }
            });
            int healthWhileDraining = health(adminPort);
            RawResponse answered = slow.readResponse(WAIT);

            assertThat(close.opcode()).isEqualTo(WebSocketTestClient.OPCODE_CLOSE);
            assertThat(close.masked()).as("a server's frame is not masked").isFalse();
            assertThat(close.payload()).containsExactly(0x03, (byte) 0xE9); // 1001 Going Away
            assertThat(webSocket.isClosedByPeer(WAIT)).isTrue();
            assertThat(draining.body()).contains("\"status\":\"not_ready\"", "\"shutdown\":\"shutting down\"");
            assertThat(healthWhileDraining).as("portcullis health: not ready").isEqualTo(1);
            assertThat(newConnection).as("no longer accepting").isInstanceOf(ConnectException.class);
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.body()).hasSize(100);
        }
        assertThat(gateway.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.process().exitValue()).isEqualTo(0);
        String audit = Files.readString(dir.resolve("audit.jsonl"));
        assertThat(audit).as("the slow request's decision, written out before the exit")
                .contains("/misbehave/slow-body/bytes/100");
        assertThat(audit.strip().lines().reduce((a, b) -> b).orElseThrow()).as("the trail ends with the stop")
                .contains("\"gateway.stop\"");
        assertThat(Files.readString(dir.resolve("access.log"))).contains("/misbehave/slow-body/bytes/100");
    }

    @Test
    void aSecondSigtermExitsAtOnce() throws Exception {
        Running gateway = run("30s");
        try (RawHttpClient hanging = RawHttpClient.connect(gateway.port())) {
            hanging.send("GET /misbehave/no-response/x HTTP/1.1\r\nHost: app.test\r\n\r\n");
            awaitTrue("the upstream got the request it never answers", () -> upstream.requests().stream()
                    .anyMatch(r -> r.requestLine().contains("/misbehave/no-response")));
            gateway.process().destroy();
            awaitTrue("the graceful stop began", () -> gateway.admin().get("/health/ready").statusCode() == 503);

            Instant second = Instant.now();
            gateway.process().destroy();

            assertThat(gateway.process().waitFor(5, TimeUnit.SECONDS)).as("exits at once, not after 30 s").isTrue();
            assertThat(Duration.between(second, Instant.now())).isLessThan(Duration.ofSeconds(5));
            assertThat(gateway.process().exitValue()).isEqualTo(128 + 15);
        }
    }
}
