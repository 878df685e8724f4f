package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.audit.AuditTrailFiles.KEY;
import static org.portcullis.audit.AuditTrailFiles.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.audit.AuditVerifier.Broken;
import org.portcullis.audit.AuditVerifier.Intact;
import org.portcullis.audit.AuditVerifier.Kind;
import org.portcullis.config.AuditConfig;
import org.portcullis.fixtures.MutableClock;

/** Rotation and compression keep one chain across files; a file taken out of the middle is named. */
class AuditRotationTest {
    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T23:59:58Z"));

    @Test
    void dailyRotationStartsANewFileAtTheFirstEventOfADayAndTheChainContinues() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditConfig config = AuditTrailFiles.config(file, AuditConfig.Rotation.DAILY, 0, false);
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(config, clock)) {
            sink.record(JsonLinesAuditSinkTest.denied("/before"));
            sink.record(JsonLinesAuditSinkTest.denied("/before-2"));
            clock.advance(Duration.ofSeconds(5));
            sink.record(JsonLinesAuditSinkTest.denied("/after"));
        }
        // A restart on the same day appends; the next day rotates even across the restart.
        AuditTrailFiles.write(config, clock, 1);
        clock.advance(Duration.ofDays(1));
        AuditTrailFiles.write(config, clock, 1);

        List<Path> trail = AuditFiles.trail(file);
        assertThat(trail).extracting(p -> p.getFileName().toString()).containsExactly(
                "audit-20260301-000000000001.jsonl", "audit-20260302-000000000003.jsonl", "audit.jsonl");
        assertThat(Files.readAllLines(trail.get(0))).hasSize(2);
        assertThat(Files.readAllLines(trail.get(1))).hasSize(2);
        assertThat(Files.readAllLines(trail.get(1)).get(0)).contains("\"chain.previous_hash\":\"",
                "\"chain.key_id\":\"");
        assertThat(verify(trail, KEY)).isInstanceOfSatisfying(Intact.class, intact -> {
            assertThat(intact.events()).isEqualTo(5);
            assertThat(intact.files()).isEqualTo(3);
        });
    }

    @Test
    void sizeRotationWithGzipKeepsTheChainAndEachFileVerifiesOnItsOwn() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditTrailFiles.write(AuditTrailFiles.config(file, AuditConfig.Rotation.SIZE, 1500, true), clock, 20);
        List<Path> trail = AuditFiles.trail(file);
        assertThat(trail.size()).isGreaterThan(3);
        assertThat(trail.subList(0, trail.size() - 1)).allSatisfy(p -> {
            assertThat(p.getFileName().toString()).endsWith(".jsonl.gz");
            assertThat(Files.exists(p.resolveSibling(AuditFiles.stripGzip(p.getFileName().toString())))).isFalse();
        });
        assertThat(verify(trail, KEY)).isInstanceOfSatisfying(Intact.class, intact -> {
            assertThat(intact.events()).isEqualTo(20);
            assertThat(intact.lastSequence()).isEqualTo(20);
        });
        assertThat(verify(trail.subList(1, trail.size()), KEY)).isInstanceOfSatisfying(Intact.class,
                intact -> assertThat(intact.fromStart()).isFalse());
    }

    @Test
    void fileMissingFromTheMiddleIsNamed() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditTrailFiles.write(AuditTrailFiles.config(file, AuditConfig.Rotation.SIZE, 1500, false), clock, 20);
        List<Path> trail = AuditFiles.trail(file);
        Path removed = trail.get(1);
        long firstMissing = Files.readAllLines(trail.get(0)).size() + 1;
        long lastMissing = firstMissing + Files.readAllLines(removed).size() - 1;
        Files.delete(removed);
        List<Path> rest = AuditFiles.trail(file);
        assertThat(verify(rest, KEY)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.kind()).isEqualTo(Kind.FILE_MISSING);
            assertThat(broken.file()).isEqualTo(rest.get(1));
            assertThat(broken.line()).isEqualTo(1);
            assertThat(broken.detail()).isEqualTo("events " + firstMissing + " to " + lastMissing + " are missing "
                    + "after " + trail.get(0).getFileName() + " (a file missing from the middle?)");
        });
    }

    @Test
    void filesGivenOutOfOrderAreNamed() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditTrailFiles.write(AuditTrailFiles.config(file, AuditConfig.Rotation.SIZE, 1500, false), clock, 20);
        List<Path> trail = AuditFiles.trail(file);
        assertThat(verify(List.of(trail.get(1), trail.get(0)), KEY)).isInstanceOfSatisfying(Broken.class,
                broken -> assertThat(broken.kind()).isEqualTo(Kind.REORDERED));
    }
}
