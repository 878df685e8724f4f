package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.AuditCommand;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import picocli.CommandLine;

/**
 * Issue 12: the hash chain alone cannot show lines removed from the end of the trail. The real gateway, started from a
 * YAML file with a store and an audit trail, seals {@code gateway.start} and {@code gateway.stop} (with SHA-256 of the
 * config file) and notes the trail's end in the store; {@code audit verify --config} compares the trail's end with
 * that note. Lines deleted from the end, an emptied file and a line cut in half fail with "truncated" and exit 1; a
 * clean stop and start passes and counts the runs; a killed gateway shows as a crash, not as tampering; and a gateway
 * started on a truncated trail says so in the trail itself.
 */
@Timeout(120)
class AuditTrailEndTest {
    static final String TEMPLATE = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
            access_control:
              default_policy: deny
            storage:
              data_dir: data
              encryption_key: "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
            audit:
              file: audit.jsonl
              key: "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
              rotate: never
              flush: every_event
            """;

    @TempDir
    Path dir;

    EchoUpstream upstream;
    Path audit;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void upstream() {
        upstream = EchoUpstream.start();
        audit = dir.resolve("audit.jsonl");
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    /** One run of the gateway: start, {@code denials} refused requests, clean stop. */
    void runGateway(int denials) throws Exception {
        try (GatewayHarness gateway = GatewayHarness.start(dir, TEMPLATE, upstream.port())) {
            for (int i = 0; i < denials; i++) {
                assertThat(RawHttpClient.exchange(gateway.port(), "GET /records/" + i
                        + " HTTP/1.1\r\nHost: app.test\r\n\r\n").status()).isEqualTo(403);
            }
        }
    }

    Run verify() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("verify", "--config", dir.resolve("portcullis.yaml").toString());
        return new Run(code, out.toString(), err.toString());
    }

    List<String> lines() throws Exception {
        return Files.readAllLines(audit, StandardCharsets.UTF_8);
    }

    void keepFirst(int count) throws Exception {
        List<String> lines = lines();
        Files.writeString(audit, String.join("\n", lines.subList(0, count)) + (count == 0 ? "" : "\n"),
                StandardCharsets.UTF_8);
    }

    static String field(String line, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\"([^\"]*)\"|([0-9]+))").matcher(line);
        return m.find() ? (m.group(2) != null ? m.group(2) : m.group(3)) : null;
    }

    @Test
    void cleanStopAndStartPassesAndShowsTheStartAndStopEvents() throws Exception {
        runGateway(2);
        runGateway(1);

        List<String> lines = lines();
        assertThat(lines).extracting(line -> field(line, "event.action")).containsExactly(
                "gateway.start", "access.decision", "access.decision", "gateway.stop",
                "gateway.start", "access.decision", "gateway.stop");
        assertThat(field(lines.get(0), "event.reason")).isEqualTo("new_trail");
        assertThat(field(lines.get(4), "event.reason")).isEqualTo("after_stop");
        String configHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve("portcullis.yaml"))));
        assertThat(field(lines.get(4), "file.hash.sha256")).isEqualTo(configHash);
        assertThat(field(lines.get(6), "file.hash.sha256")).isEqualTo(configHash);
        assertThat(field(lines.get(6), "file.path")).isEqualTo(dir.resolve("portcullis.yaml").toAbsolutePath()
                .toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(audit))).isEqualTo("rw-------");

        Run run = verify();
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("OK: 7 events in 1 file, sequence 1 to 7 (from the start of the trail)")
                .contains("; the end matches the store's note (sequence 7 at ")
                .endsWith("; gateway runs: 2 starts, 2 clean stops; the last run stopped cleanly\n");
    }

    @Test
    void deletingTheNewestLinesFailsNamingTruncation() throws Exception {
        runGateway(3);
        assertThat(lines()).hasSize(5);
        keepFirst(3);

        Run run = verify();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("BROKEN: " + audit + ":4: truncated: the trail ends at sequence 3 but the "
                + "store has sequence 5 (hash ").contains("the newest 2 lines are missing");
    }

    @Test
    void deletingOnlyTheStopLineFailsToo() throws Exception {
        runGateway(1);
        keepFirst(2);

        Run run = verify();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(": truncated: ").contains("the newest line is missing");
    }

    @Test
    void anEmptiedFileFails() throws Exception {
        runGateway(2);
        Files.write(audit, new byte[0]);

        Run run = verify();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("BROKEN: " + audit + ":1: truncated: the file is empty: every run of the "
                + "gateway starts its trail with gateway.start, so its lines were removed\n");
    }

    @Test
    void aFileCutInTheMiddleOfALineFails() throws Exception {
        runGateway(2);
        byte[] bytes = Files.readAllBytes(audit);
        int lastLineStart = new String(bytes, StandardCharsets.UTF_8).lastIndexOf('\n', bytes.length - 2) + 1;
        Files.write(audit, java.util.Arrays.copyOf(bytes, lastLineStart + 40));

        Run run = verify();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("BROKEN: " + audit + ":4: truncated: the line is cut short after 40 bytes");
    }

    @Test
    void aGatewayStartedOnATruncatedTrailSaysSoAndVerifyKeepsFailing() throws Exception {
        runGateway(3);
        keepFirst(2);
        ch.qos.logback.classic.Logger sinkLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.portcullis.audit.JsonLinesAuditSink.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        sinkLog.addAppender(logged);
        try {
            runGateway(0);
        } finally {
            sinkLog.detachAppender(logged);
        }
        assertThat(logged.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
            assertThat(event.getFormattedMessage()).startsWith("AUDIT TRAIL TRUNCATED: " + audit.toAbsolutePath()
                    .normalize() + " (the trail ended at sequence 2 but the store noted sequence 5");
        });

        List<String> lines = lines();
        assertThat(lines).hasSize(4);
        String notice = lines.get(2);
        assertThat(field(notice, "event.action")).isEqualTo("gateway.start");
        assertThat(field(notice, "event.reason")).isEqualTo("trail_truncated");
        assertThat(field(notice, "event.outcome")).isEqualTo("failure");
        assertThat(field(notice, "event.sequence")).isEqualTo("6"); // continues after the noted end, 5
        assertThat(field(notice, "event.detail")).startsWith("the trail ended at sequence 2 but the store noted "
                + "sequence 5 (hash ").contains("3 newest lines are missing");

        Run run = verify();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("BROKEN: " + audit + ":3: truncated: the gateway started here and found the "
                + "trail cut short (").endsWith("the line before it is sequence 2, so events 3 to 5 are missing\n");
    }

    @Test
    void aKilledGatewayShowsAsACrashNotAsTampering() throws Exception {
        runGateway(1);
        Process child = startChildGateway();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (lines().size() < 4 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            assertThat(lines()).hasSize(4); // the first run's three lines, the child's gateway.start
        } finally {
            child.destroyForcibly(); // SIGKILL: no gateway.stop
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        Run crashed = verify();
        assertThat(crashed.exitCode()).as(crashed.out()).isZero();
        assertThat(crashed.out()).endsWith("; gateway runs: 2 starts, 1 clean stop; the last run has no gateway.stop "
                + "yet (running, or crashed)\n");

        runGateway(0);
        List<String> lines = lines();
        assertThat(field(lines.get(4), "event.action")).isEqualTo("gateway.start");
        assertThat(field(lines.get(4), "event.reason")).isEqualTo("after_crash");
        Run after = verify();
        assertThat(after.exitCode()).as(after.out()).isZero();
        assertThat(after.out()).contains("the end matches the store's note (sequence 6 at ")
                .endsWith("; gateway runs: 3 starts, 2 clean stops, 1 crash (no gateway.stop before the start at "
                        + "sequence 5); the last run stopped cleanly\n");
    }

    /** {@code portcullis run --config portcullis.yaml} in a JVM of its own, once it listens. */
    Process startChildGateway() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                PortcullisMain.class.getName(), "run", "--config", dir.resolve("portcullis.yaml").toString());
        builder.redirectErrorStream(true);
        Process child = builder.start();
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = output.readLine()) != null && !line.startsWith("Portcullis is running on")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as(seen.toString()).isNotNull();
        Thread drain = new Thread(() -> {
            try {
                output.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException e) {
                // the child is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return child;
    }
}
