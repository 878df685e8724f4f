package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.AuditConfig;
import org.portcullis.config.AuditSyslogConfig;
import org.portcullis.config.HostPort;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.TestCertificates;

/**
 * {@code audit.syslog} against real receivers on 127.0.0.1: RFC 5424 messages with RFC 6587 octet counting, in order,
 * over TCP and TLS; a receiver that stops reading or cannot be trusted never holds up the file, which keeps every line.
 */
@Timeout(30)
class SyslogForwarderTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG}, RFC 5424 §6. */
    private static final Pattern MESSAGE = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\d+) (\\S+) - (.*)", Pattern.DOTALL);

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:15:31.123456789Z"));

    AuditConfig config(AuditSyslogConfig syslog) {
        return new AuditConfig(dir.resolve("audit.jsonl"), true, AuditTrailFiles.KEY, AuditConfig.Rotation.NEVER, 0,
                false, AuditConfig.Flush.INTERVAL, Duration.ofSeconds(1), syslog);
    }

    static AuditEvent event(int i) {
        return i % 3 == 0
                ? ReportTrail.signIn("user.sign_in", true, "password", "user" + i, "10.0.0." + (i % 250), null)
                : JsonLinesAuditSinkTest.denied("/p" + i + "/é");
    }

    List<String> fileLines() throws Exception {
        return Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
    }

    @Test
    void everyLineArrivesInOrderAsAnRfc5424MessageWithOctetCounting() throws Exception {
        int count = 200;
        try (SyslogReceiver receiver = SyslogReceiver.tcp(SyslogReceiver.Mode.READ)) {
            try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(config(new AuditSyslogConfig(
                    new HostPort("127.0.0.1", receiver.port()), false, null, "gw-ward-3")), clock)) {
                for (int i = 0; i < count; i++) {
                    sink.record(event(i));
                }
            }
            List<String> lines = fileLines();
            assertThat(lines).hasSize(count);
            for (int i = 0; i < count; i++) {
                String message = receiver.take(WAIT);
                assertThat(message).as("message %d", i).isNotNull();
                Matcher m = MESSAGE.matcher(message);
                assertThat(m.matches()).as(message).isTrue();
                // facility 13 (log audit): informational for success, notice for failure
                assertThat(m.group(1)).isEqualTo(i % 3 == 0 ? "110" : "109");
                assertThat(m.group(2)).isEqualTo("2026-11-29T08:15:31.123456Z");
                assertThat(m.group(4)).isEqualTo("gw-ward-3");
                assertThat(m.group(5)).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
                assertThat(m.group(6)).isEqualTo(i % 3 == 0 ? "user.sign_in" : "access.decision");
                assertThat(m.group(7)).isEqualTo(lines.get(i));
            }
            assertThat(receiver.take(Duration.ofMillis(100))).isNull();
            assertThat(receiver.framingError()).isNull();
        }
        assertThat(AuditTrailFiles.verify(List.of(dir.resolve("audit.jsonl")), AuditTrailFiles.KEY))
                .isInstanceOf(AuditVerifier.Intact.class);
    }

    @Test
    void overTlsTheReceiverIsVerifiedAgainstTheCaBundle() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir.resolve("tls"));
        try (SyslogReceiver receiver = SyslogReceiver.tls(certificates.serverSslContext())) {
            try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(config(new AuditSyslogConfig(
                    new HostPort("localhost", receiver.port()), true, certificates.caCertificatePem(),
                    "portcullis")), clock)) {
                sink.record(event(1));
                sink.record(event(3));
            }
            List<String> lines = fileLines();
            assertThat(receiver.take(WAIT)).endsWith(" access.decision - " + lines.get(0));
            assertThat(receiver.take(WAIT)).endsWith(" user.sign_in - " + lines.get(1));
        }
    }

    @Test
    void aReceiverWithAnUntrustedCertificateGetsNothingAndTheFileEverything() throws Exception {
        TestCertificates receiverCertificates = TestCertificates.create(dir.resolve("tls"));
        TestCertificates otherCa = TestCertificates.create(dir.resolve("other"));
        try (SyslogReceiver receiver = SyslogReceiver.tls(receiverCertificates.serverSslContext())) {
            JsonLinesAuditSink sink = JsonLinesAuditSink.open(config(new AuditSyslogConfig(
                    new HostPort("localhost", receiver.port()), true, otherCa.caCertificatePem(), "portcullis")),
                    clock);
            for (int i = 0; i < 10; i++) {
                sink.record(event(i));
            }
            sink.close();
            assertThat(fileLines()).hasSize(10);
            assertThat(receiver.take(Duration.ofMillis(200))).isNull();
            assertThat(sink.syslogDropped()).isEqualTo(10);
        }
    }

    @Test
    void aCaBundleWithoutCertificatesFailsTheStart() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificates here\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonLinesAuditSink.open(config(new AuditSyslogConfig(
                new HostPort("localhost", 6514), true, empty, "portcullis")), clock))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining(empty.toString());
    }

    @Test
    void aReceiverThatStopsReadingNeverHoldsUpTheFileAndDropsAreCounted() throws Exception {
        int count = 5_000;
        try (SyslogReceiver receiver = SyslogReceiver.tcp(SyslogReceiver.Mode.STALLED)) {
            JsonLinesAuditSink sink = JsonLinesAuditSink.open(config(new AuditSyslogConfig(
                    new HostPort("127.0.0.1", receiver.port()), false, null, "portcullis")), clock);
            for (int i = 0; i < count; i++) {
                sink.record(JsonLinesAuditSinkTest.denied("/" + "x".repeat(400) + i));
            }
            // while the receiver reads nothing, the writer still gets every line into the file
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (fileLines().size() < count && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(fileLines()).hasSize(count);
            long closeStarted = System.nanoTime();
            sink.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closeStarted))
                    .isLessThan(SyslogForwarder.DEFAULT_DRAIN.multipliedBy(3));
            assertThat(sink.dropped()).isZero();
            assertThat(sink.syslogDropped()).isPositive();
        }
        assertThat(AuditTrailFiles.verify(List.of(dir.resolve("audit.jsonl")), AuditTrailFiles.KEY))
                .isInstanceOfSatisfying(AuditVerifier.Intact.class, intact -> assertThat(intact.events())
                        .isEqualTo(count));
    }

    @Test
    void aFullQueueDropsAtOnceInsteadOfWaiting() throws Exception {
        try (SyslogReceiver receiver = SyslogReceiver.tcp(SyslogReceiver.Mode.STALLED);
             SyslogForwarder forwarder = new SyslogForwarder(new AuditSyslogConfig(
                     new HostPort("127.0.0.1", receiver.port()), false, null, "portcullis"), 8,
                     Duration.ofMillis(10), Duration.ofMillis(100))) {
            byte[] line = ("{\"x\":\"" + "y".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 2_000; i++) {
                forwarder.offer(clock.instant(), event(1), line);
            }
            assertThat(forwarder.dropped()).isPositive();
        }
    }

    @Test
    void afterTheReceiverDropsTheConnectionTheForwarderReconnects() throws Exception {
        try (SyslogReceiver receiver = SyslogReceiver.tcp(SyslogReceiver.Mode.CLOSE_AFTER_FIRST);
             SyslogForwarder forwarder = new SyslogForwarder(new AuditSyslogConfig(
                     new HostPort("127.0.0.1", receiver.port()), false, null, "portcullis"), 64,
                     Duration.ofMillis(10), Duration.ofMillis(100))) {
            forwarder.offer(clock.instant(), event(1), "{\"n\":0}".getBytes(StandardCharsets.UTF_8));
            assertThat(receiver.take(WAIT)).endsWith(" - {\"n\":0}");
            // lines written into the closed connection are lost to syslog (never to the file); keep sending until
            // one arrives on a new connection
            List<String> later = new ArrayList<>();
            for (int n = 1; n <= 100 && later.isEmpty(); n++) {
                forwarder.offer(clock.instant(), event(1), ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
                String message = receiver.take(Duration.ofMillis(100));
                if (message != null) {
                    later.add(message);
                }
            }
            assertThat(later).singleElement().asString().matches(".* - \\{\"n\":\\d+}");
            assertThat(receiver.connections()).isGreaterThanOrEqualTo(2);
        }
    }
}
