package org.portcullis.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.AccessLogConfig;
import org.portcullis.config.AuditConfig;
import org.portcullis.fixtures.MutableClock;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The access-log writer on a real file: the text and JSON forms of a line (fields, escaping, missing values), that
 * close writes out everything queued, that a line reaches the file within a second without close (moved by a
 * hand-held ticker, not by sleeping), rotation by day and by size, and the file's mode 0600.
 */
@Timeout(30)
class AccessLogWriterTest {
    static final Instant T0 = Instant.parse("2026-12-07T16:10:54.123Z");

    @TempDir
    Path dir;

    final AtomicLong ticker = new AtomicLong();

    AccessLogWriter writer(AccessLogConfig config, Clock clock) throws Exception {
        return new AccessLogWriter(RotatingFileOutput.open(config), config.format(), clock, ticker::get, 1024);
    }

    AccessLogConfig file(AccessLogConfig.Format format) {
        return new AccessLogConfig(true, dir.resolve("access.log"), format, AuditConfig.Rotation.NEVER, 0);
    }

    List<String> lines(String name) throws Exception {
        return Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void textLineHasEveryFieldInOrder() throws Exception {
        AccessLogWriter writer = writer(file(AccessLogConfig.Format.TEXT), Clock.fixed(T0, ZoneOffset.UTC));
        writer.record("9f86d081884c7d65", "192.0.2.7", "GET", "records.example.org", "/patients/7", 200, "records",
                "clinicians", "FORWARDED", 1234);
        writer.close();
        assertThat(lines("access.log")).containsExactly("2026-12-07T16:10:54.123Z request_id=9f86d081884c7d65 "
                + "client=192.0.2.7 method=GET target=records.example.org/patients/7 status=200 route=records "
                + "rule=clinicians outcome=FORWARDED duration_us=1234");
        assertThat(writer.written()).isEqualTo(1);
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void textEscapesWhatCouldForgeAFieldOrALine() throws Exception {
        AccessLogWriter writer = writer(file(AccessLogConfig.Format.TEXT), Clock.fixed(T0, ZoneOffset.UTC));
        // a value that tries to end the line and start a forged one, and one with quote, backslash, CR and DEL
        writer.record("a\nINFO forged", "q\"\\\r\u007f", null, null, null, 400, null, null, "MALFORMED_HEADER", 7);
        writer.record("id", "c", "GET", "h\u00e9.test", "/caf\u00e9/\ud83d\ude00", 200, "r", "x", "FORWARDED", 0);
        writer.close();
        assertThat(lines("access.log")).containsExactly(
                "2026-12-07T16:10:54.123Z request_id=a\\x0aINFO\\x20forged client=q\\x22\\x5c\\x0d\\x7f method=- "
                        + "target=- status=400 route=- rule=- outcome=MALFORMED_HEADER duration_us=7",
                // anything else is UTF-8, as before
                "2026-12-07T16:10:54.123Z request_id=id client=c method=GET target=h\u00e9.test/caf\u00e9/"
                        + "\ud83d\ude00 status=200 route=r rule=x outcome=FORWARDED duration_us=0");
    }

    @Test
    void jsonLineHasTheAuditTrailsFieldNamesAndLeavesMissingValuesOut() throws Exception {
        AccessLogWriter writer = writer(file(AccessLogConfig.Format.JSON), Clock.fixed(T0, ZoneOffset.UTC));
        writer.record("9f86d081884c7d65", "192.0.2.7", "GET", "records.example.org", "/a\"b\\c\nd\u007f\u00e9", 403,
                "records", "default_policy", "POLICY_DENY", 56);
        writer.record("2c26b46b68ffc68f", "192.0.2.7", null, null, null, 400, null, null, "MALFORMED_HEADER", 3);
        writer.close();
        List<String> lines = lines("access.log");
        assertThat(lines.get(0)).isEqualTo("{\"@timestamp\":\"2026-12-07T16:10:54.123Z\",\"event.reason\":"
                + "\"POLICY_DENY\",\"source.ip\":\"192.0.2.7\",\"url.domain\":\"records.example.org\","
                + "\"http.request.method\":\"GET\",\"url.path\":\"/a\\\"b\\\\c\\u000ad\\u007f\u00e9\",\"route\":"
                + "\"records\",\"rule.id\":\"default_policy\",\"request.id\":\"9f86d081884c7d65\","
                + "\"http.response.status_code\":403,\"event.duration\":56000}");
        ObjectMapper json = JsonMapper.builder().build();
        Map<?, ?> first = json.readValue(lines.get(0), Map.class);
        assertThat(first.get("url.path")).isEqualTo("/a\"b\\c\nd\u007f\u00e9");
        assertThat(json.readValue(lines.get(1), Map.class)).isEqualTo(Map.of("@timestamp",
                "2026-12-07T16:10:54.123Z", "event.reason", "MALFORMED_HEADER", "source.ip", "192.0.2.7",
                "request.id", "2c26b46b68ffc68f", "http.response.status_code", 400, "event.duration", 3000));
    }

    @Test
    void closeWritesOutEveryQueuedLineAndLaterLinesAreCountedAsDropped() throws Exception {
        AccessLogWriter writer = writer(file(AccessLogConfig.Format.TEXT), Clock.fixed(T0, ZoneOffset.UTC));
        writer.start();
        for (int i = 0; i < 500; i++) {
            writer.record("id" + i, "c", "GET", "h", "/" + i, 200, "r", "x", "FORWARDED", i);
        }
        writer.close(); // the ticker never moved: no timed flush, only the close wrote them
        List<String> lines = lines("access.log");
        assertThat(lines).hasSize(500);
        assertThat(lines.get(499)).contains("request_id=id499 ");
        writer.record("late", "c", "GET", "h", "/", 200, "r", "x", "FORWARDED", 0);
        assertThat(writer.written()).isEqualTo(500);
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(lines("access.log")).hasSize(500);
    }

    @Test
    void aLineReachesTheFileWithinASecondWithoutClose() throws Exception {
        AccessLogWriter writer = writer(file(AccessLogConfig.Format.TEXT), Clock.fixed(T0, ZoneOffset.UTC));
        writer.start();
        try {
            writer.record("one", "c", "GET", "h", "/", 200, "r", "x", "FORWARDED", 0);
            // the writer takes the line into its buffer; the file stays empty until the ticker says a second passed
            pollUntil(() -> writer.buffered() == 1);
            assertThat(Files.size(dir.resolve("access.log"))).isZero();
            ticker.addAndGet(AccessLogWriter.FLUSH_MILLIS * 1_000_000 - 1);
            assertThat(Files.size(dir.resolve("access.log"))).isZero();
            ticker.addAndGet(1);
            pollUntil(() -> writer.written() == 1);
            assertThat(lines("access.log")).singleElement().asString().contains("request_id=one ");
        } finally {
            writer.close();
        }
    }

    @Test
    void dailyRotationStartsANewFileAtTheFirstLineOfANewUtcDay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T23:59:59.500Z"));
        AccessLogConfig config = new AccessLogConfig(true, dir.resolve("access.log"), AccessLogConfig.Format.TEXT,
                AuditConfig.Rotation.DAILY, 0);
        AccessLogWriter writer = writer(config, clock);
        writer.record("before", "c", "GET", "h", "/", 200, "r", "x", "FORWARDED", 0);
        clock.set(Instant.parse("2026-12-08T00:00:00.001Z"));
        writer.record("after", "c", "GET", "h", "/", 200, "r", "x", "FORWARDED", 0);
        writer.close();
        assertThat(lines("access-20261207-000001.log")).singleElement().asString().contains("request_id=before ");
        assertThat(lines("access.log")).singleElement().asString().contains("request_id=after ");
        assertThat(mode("access-20261207-000001.log")).isEqualTo("rw-------");
        assertThat(mode("access.log")).isEqualTo("rw-------");
    }

    @Test
    void sizeRotationKeepsEachFileWithinOneLineOfMaxSize() throws Exception {
        AccessLogConfig config = new AccessLogConfig(true, dir.resolve("access.log"), AccessLogConfig.Format.TEXT,
                AuditConfig.Rotation.SIZE, 4096);
        AccessLogWriter writer = writer(config, Clock.fixed(T0, ZoneOffset.UTC));
        for (int i = 0; i < 100; i++) {
            writer.record(String.format("%016d", i), "192.0.2.7", "GET", "h", "/" + i, 200, "r", "x", "FORWARDED",
                    i);
        }
        writer.close();
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        // about 140 bytes a line: 14 KB in three full files and the active one
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("access-20261207-000001.log",
                "access-20261207-000002.log", "access-20261207-000003.log", "access.log");
        int total = 0;
        for (Path file : files) {
            assertThat(Files.size(file)).isLessThan(4096 + 200);
            if (!file.getFileName().toString().equals("access.log")) {
                assertThat(Files.size(file)).isGreaterThanOrEqualTo(4096);
            }
            assertThat(mode(file.getFileName().toString())).isEqualTo("rw-------");
            total += Files.readAllLines(file).size();
        }
        assertThat(total).isEqualTo(100);
        assertThat(lines("access-20261207-000001.log").get(0)).contains("request_id=0000000000000000 ");
    }

    @Test
    void fileIsCreatedOwnerOnlyAndAnExistingReadableOneIsTightened() throws Exception {
        Path existing = dir.resolve("access.log");
        Files.writeString(existing, "old line\n");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
        AccessLogWriter writer = writer(file(AccessLogConfig.Format.TEXT), Clock.fixed(T0, ZoneOffset.UTC));
        writer.record("new", "c", "GET", "h", "/", 200, "r", "x", "FORWARDED", 0);
        writer.close();
        assertThat(mode("access.log")).isEqualTo("rw-------");
        assertThat(lines("access.log")).hasSize(2).first().isEqualTo("old line");
    }

    @Test
    void linesAFailedWriteLostAreCountedAsDropped() throws Exception {
        java.io.PrintStream stderr = System.err;
        // stderr that has gone away (a closed pipe): every write fails
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("broken pipe");
            }
        }, true));
        AccessLogWriter writer;
        try {
            writer = new AccessLogWriter(new StderrOutput(), AccessLogConfig.Format.TEXT,
                    Clock.fixed(T0, ZoneOffset.UTC), ticker::get, 1024);
            for (int i = 0; i < 10; i++) {
                writer.record("id" + i, "c", "GET", "h", "/", 200, "r", "x", "FORWARDED", 0);
            }
            writer.close();
        } finally {
            System.setErr(stderr);
        }
        assertThat(writer.written()).isZero();
        assertThat(writer.dropped()).isEqualTo(10);
    }

    private String mode(String name) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name)));
    }

    static void pollUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within 5 s").isNegative();
            Thread.sleep(5);
        }
    }
}
