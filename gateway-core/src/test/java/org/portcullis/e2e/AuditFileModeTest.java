package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.audit.AuditFiles;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;

/**
 * Issue 12 (low): the audit trail names who was refused what, from where; only the gateway's own user may read it.
 * Through the running gateway, started from a config file as {@code run} starts it, with the process's usual umask
 * (which alone would make new files {@code rw-r--r--}): the live file and every file rotated away by size, compressed,
 * are {@code rw-------}. (AuditFilePermissionsTest covers the writer alone, daily rotation and an old file tightened.)
 */
@Timeout(60)
class AuditFileModeTest {
    static final String CONFIG = """
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
            audit:
              file: audit.jsonl
              key: "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
              rotate: size
              max_size: 4096
              compress: true
              flush: every_event
            """;

    @TempDir
    Path dir;

    @Test
    void theLiveFileAndEveryRotatedFileAreReadableByTheGatewaysUserOnly() throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start();
             GatewayHarness gateway = GatewayHarness.start(dir, CONFIG, upstream.port())) {
            // Each refusal is one access.decision line of some hundred bytes: enough to rotate twice and more.
            for (int i = 0; i < 40; i++) {
                assertThat(RawHttpClient.exchange(gateway.port(), "GET /records/" + i
                        + " HTTP/1.1\r\nHost: app.test\r\n\r\n").status()).isEqualTo(403);
            }
        }
        Path live = dir.resolve("audit.jsonl");
        List<Path> trail = AuditFiles.trail(live);
        assertThat(trail).as("rotated files besides the live one").hasSizeGreaterThanOrEqualTo(3).contains(live);
        assertThat(trail).as("rotated files are compressed").anySatisfy(file ->
                assertThat(file.getFileName().toString()).endsWith(".jsonl.gz"));
        for (Path file : trail) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as(file.getFileName().toString()).isEqualTo("rw-------");
        }
    }
}
