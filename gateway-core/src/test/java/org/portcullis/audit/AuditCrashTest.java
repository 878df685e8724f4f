package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.AuditConfig;

/**
 * {@code kill -9} in the middle of writing: a child JVM writes audit events through the real sink and is killed
 * ({@link Process#destroyForcibly()}, SIGKILL on Linux) once the file has passed a random size. The next start on the
 * same file must leave a trail that verifies: when the kill cut the last line short, with exactly one
 * {@code audit.recovered} event for it; otherwise with none. Several rounds on one file, so the chain also has to
 * survive restarts after crashes.
 */
@Timeout(120)
class AuditCrashTest {
    private static final int ROUNDS = 4;
    private static final Duration CHILD_WAIT = Duration.ofSeconds(30);
    private static final int PADDING = 6_000;

    @TempDir
    Path dir;

    @Test
    void killedWhileWritingTheTrailStillVerifiesAfterTheNextStart() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditConfig config = AuditCrashChild.config(file);
        Random random = new Random();
        int torn = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long killAt = Files.exists(file) ? Files.size(file) : 0;
            killAt += 256 * 1024 + random.nextInt(4 * 1024 * 1024);
            Process child = startChild(file);
            try {
                long deadline = System.nanoTime() + CHILD_WAIT.toNanos();
                while ((!Files.exists(file) || Files.size(file) < killAt) && child.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(child.isAlive()).as("the child is still writing at the moment it is killed").isTrue();
                assertThat(Files.size(file)).as("the child wrote past the chosen size in time").isGreaterThanOrEqualTo(
                        killAt);
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(CHILD_WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
            byte[] bytes = Files.readAllBytes(file);
            boolean cut = bytes[bytes.length - 1] != '\n';
            torn += cut ? 1 : 0;

            try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(config, Clock.systemUTC())) {
                sink.record(JsonLinesAuditSinkTest.denied("/after-crash-" + round));
            }
            List<String> lastLines = tail(file, 2);
            if (cut) {
                assertThat(lastLines.get(0)).contains("\"event.action\":\"audit.recovered\"");
            } else {
                assertThat(lastLines.get(0)).doesNotContain("audit.recovered");
            }
            assertThat(lastLines.get(1)).contains("/after-crash-" + round);
            int expectedRecovered = torn;
            assertThat(AuditTrailFiles.verify(List.of(file), AuditTrailFiles.KEY)).as("round %d", round)
                    .isInstanceOfSatisfying(AuditVerifier.Intact.class, intact ->
                            assertThat(intact.recovered()).isEqualTo(expectedRecovered));
        }
        System.out.println("AuditCrashTest: " + torn + " of " + ROUNDS + " kills cut the last line short");
    }

    private Process startChild(Path file) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), AuditCrashChild.class.getName(),
                file.toString(), String.valueOf(PADDING));
        builder.redirectErrorStream(true);
        builder.redirectOutput(dir.resolve("child.log").toFile());
        return builder.start();
    }

    private static List<String> tail(Path file, int count) throws Exception {
        List<String> lines = Files.readAllLines(file);
        return lines.subList(lines.size() - count, lines.size());
    }

}
