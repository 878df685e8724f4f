package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.AuditConfig;
import org.portcullis.fixtures.MutableClock;

/**
 * The trail says who signed in from where and which records they opened: only the gateway's own user may read it.
 * The live file, the rotated files and their gzip copies are {@code rw-------} whatever the umask allows, and a live
 * file an older release left readable by others is tightened when the writer opens it.
 */
class AuditFilePermissionsTest {
    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void liveRotatedAndCompressedFilesAreReadableByTheOwnerOnly() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditConfig config = AuditTrailFiles.config(file, AuditConfig.Rotation.DAILY, 0, true);
        AuditTrailFiles.write(config, clock, 2);
        clock.advance(Duration.ofDays(1));
        AuditTrailFiles.write(config, clock, 1); // rotates day one away, gzips it on close
        clock.advance(Duration.ofDays(1));
        AuditConfig plain = AuditTrailFiles.config(file, AuditConfig.Rotation.DAILY, 0, false);
        AuditTrailFiles.write(plain, clock, 1); // rotates day two away, left uncompressed

        List<Path> trail = AuditFiles.trail(file);
        assertThat(trail).extracting(p -> p.getFileName().toString()).containsExactly(
                "audit-20260301-000000000001.jsonl.gz", "audit-20260302-000000000003.jsonl", "audit.jsonl");
        for (Path each : trail) {
            assertThat(mode(each)).as(each.getFileName().toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void aLiveFileLeftReadableByOthersIsTightenedWhenTheWriterOpensIt() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditConfig config = AuditTrailFiles.config(file, AuditConfig.Rotation.NEVER, 0, false);
        AuditTrailFiles.write(config, clock, 1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        AuditTrailFiles.write(config, clock, 1);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(AuditTrailFiles.verify(AuditFiles.trail(file), AuditTrailFiles.KEY))
                .isInstanceOf(AuditVerifier.Intact.class);
    }
}
