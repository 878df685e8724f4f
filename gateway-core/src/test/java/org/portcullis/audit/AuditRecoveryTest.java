package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.audit.AuditTrailFiles.KEY;
import static org.portcullis.audit.AuditTrailFiles.verify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.audit.AuditVerifier.Broken;
import org.portcullis.audit.AuditVerifier.Intact;
import org.portcullis.audit.AuditVerifier.Kind;
import org.portcullis.config.AuditConfig;

/** A line cut short by a crash is kept as evidence and accounted for by an {@code audit.recovered} event. */
class AuditRecoveryTest {
    @TempDir
    Path dir;

    Path file;
    AuditConfig config;

    /** Five events, then the last 40 bytes of the file cut off as a crash in the middle of the last write would. */
    byte[] tornTrail() throws Exception {
        file = dir.resolve("audit.jsonl");
        config = AuditTrailFiles.config(file, AuditConfig.Rotation.NEVER, 0, false);
        AuditTrailFiles.write(config, JsonLinesAuditSinkTest.CLOCK, 5);
        byte[] bytes = Files.readAllBytes(file);
        byte[] torn = Arrays.copyOf(bytes, bytes.length - 40);
        Files.write(file, torn);
        return torn;
    }

    @Test
    void startAfterACrashKeepsTheFragmentAndRecordsRecovery() throws Exception {
        byte[] torn = tornTrail();
        assertThat(verify(List.of(file), KEY)).isInstanceOfSatisfying(Broken.class,
                broken -> assertThat(broken.kind()).isEqualTo(Kind.TRUNCATED));

        AuditTrailFiles.write(config, JsonLinesAuditSinkTest.CLOCK, 1);

        byte[] after = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(after, torn.length)).isEqualTo(torn);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(7);
        String recovery = lines.get(5);
        int fragmentLength = lines.get(4).getBytes(StandardCharsets.UTF_8).length;
        assertThat(JsonLinesAuditSinkTest.stringField(recovery, "event.action")).isEqualTo("audit.recovered");
        assertThat(JsonLinesAuditSinkTest.stringField(recovery, "event.reason")).isEqualTo("torn_last_line");
        assertThat(recovery).contains("\"chain.torn_bytes\":" + fragmentLength + ",", "\"event.sequence\":5,");
        assertThat(lines.get(6)).contains("\"event.sequence\":6,");
        assertThat(verify(List.of(file), KEY)).isInstanceOfSatisfying(Intact.class, intact -> {
            assertThat(intact.events()).isEqualTo(6);
            assertThat(intact.recovered()).isEqualTo(1);
        });
    }

    @Test
    void aRestartAfterRecoveryDoesNotRecoverAgain() throws Exception {
        tornTrail();
        AuditTrailFiles.write(config, JsonLinesAuditSinkTest.CLOCK, 1);
        AuditTrailFiles.write(config, JsonLinesAuditSinkTest.CLOCK, 1);
        assertThat(Files.readAllLines(file)).filteredOn(l -> l.contains("audit.recovered")).hasSize(1);
        assertThat(verify(List.of(file), KEY)).isInstanceOf(Intact.class);
    }

    @Test
    void aFragmentChangedAfterRecoveryIsAnEdit() throws Exception {
        tornTrail();
        AuditTrailFiles.write(config, JsonLinesAuditSinkTest.CLOCK, 1);
        List<String> lines = AuditTrailFiles.lines(file);
        lines.set(4, lines.get(4).replace("alice", "carol"));
        AuditTrailFiles.rewrite(file, lines);
        assertThat(verify(List.of(file), KEY)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.kind()).isEqualTo(Kind.EDITED);
            assertThat(broken.line()).isEqualTo(5);
        });
    }

    @Test
    void aFileThatIsOnlyAFragmentStartsTheChainWithTheRecovery() throws Exception {
        file = dir.resolve("audit.jsonl");
        config = AuditTrailFiles.config(file, AuditConfig.Rotation.NEVER, 0, false);
        Files.writeString(file, "{\"@timestamp\":\"2026-03-01T08:15:30.123Z\",\"event.act");
        AuditTrailFiles.write(config, JsonLinesAuditSinkTest.CLOCK, 2);
        assertThat(verify(List.of(file), KEY)).isInstanceOfSatisfying(Intact.class, intact -> {
            assertThat(intact.events()).isEqualTo(3);
            assertThat(intact.recovered()).isEqualTo(1);
            assertThat(intact.fromStart()).isTrue();
        });
    }
}
