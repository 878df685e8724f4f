package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigLoader;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.server.GatewayServer;

/**
 * {@code /health/ready} of a real gateway names the audit sink when the audit trail can no longer be written: its
 * directory is gone when the daily rotation wants to start the next file. A gateway that cannot audit its decisions
 * should be taken out of the load balancer.
 */
class AuditReadinessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    private EchoUpstream upstream;
    private GatewayServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void notReadyOnceTheAuditFileCannotBeWritten() throws Exception {
        upstream = EchoUpstream.start();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path auditDir = Files.createDirectory(dir.resolve("audit"));
        Path config = Files.writeString(dir.resolve("portcullis.yaml"), """
                server:
                  listeners:
                    - address: 127.0.0.1:%d
                  admin:
                    address: 127.0.0.1:0
                routes:
                  - name: app
                    host: app.test
                    upstream: http://127.0.0.1:%d
                access_control:
                  default_policy: deny
                audit:
                  file: %s
                  key: "%s"
                  rotate: daily
                """.formatted(port, upstream.port(), auditDir.resolve("audit.jsonl"), "c3".repeat(32)));
        server = GatewayServer.start(new ConfigLoader().load(config).config(), clock);
        AdminClient admin = new AdminClient(server.operations().adminAddress().orElseThrow());
        HttpResponse<String> before = admin.get("/health/ready");

        try (Stream<Path> files = Files.walk(auditDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        clock.advance(Duration.ofDays(1));
        assertThat(RawHttpClient.exchange(port, "GET /denied HTTP/1.1\r\nHost: app.test\r\n\r\n").status())
                .isEqualTo(403);
        HttpResponse<String> after = awaitStatus(admin, 503);

        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.body()).isEqualTo("{\"status\":\"ready\",\"checks\":{\"config\":\"ok\",\"audit\":\"ok\"}}");
        assertThat(after.body()).isEqualTo("{\"status\":\"not_ready\",\"checks\":{\"config\":\"ok\","
                + "\"audit\":\"writing the audit file failed\"}}");
    }

    /** Polls readiness (the audit writer fails on its own thread) until it answers {@code status}. */
    private static HttpResponse<String> awaitStatus(AdminClient admin, int status) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        HttpResponse<String> answer = admin.get("/health/ready");
        while (answer.statusCode() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(20); // polling another thread's effect, not waiting for time to pass
            answer = admin.get("/health/ready");
        }
        return answer;
    }
}
