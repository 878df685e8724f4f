package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.audit.AuditTrailFiles.KEY;
import static org.portcullis.audit.AuditTrailFiles.lines;
import static org.portcullis.audit.AuditTrailFiles.rewrite;
import static org.portcullis.audit.AuditTrailFiles.verify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.audit.AuditVerifier.Broken;
import org.portcullis.audit.AuditVerifier.Intact;
import org.portcullis.audit.AuditVerifier.Kind;
import org.portcullis.config.AuditConfig;

/** Each kind of tampering an auditor must be told about is found at its line and named. */
class AuditVerifierTest {
    @TempDir
    Path dir;

    Path file;

    @BeforeEach
    void tenEvents() throws Exception {
        file = dir.resolve("audit.jsonl");
        AuditTrailFiles.write(AuditTrailFiles.config(file, AuditConfig.Rotation.NEVER, 0, false),
                JsonLinesAuditSinkTest.CLOCK, 10);
    }

    Broken broken(AuditVerifier.Result result) {
        assertThat(result).isInstanceOf(Broken.class);
        return (Broken) result;
    }

    @Test
    void untouchedTrailIsIntactFromTheStart() throws Exception {
        assertThat(verify(List.of(file), KEY)).isInstanceOfSatisfying(Intact.class, intact -> {
            assertThat(intact.events()).isEqualTo(10);
            assertThat(intact.firstSequence()).isEqualTo(1);
            assertThat(intact.lastSequence()).isEqualTo(10);
            assertThat(intact.fromStart()).isTrue();
            assertThat(intact.lastHash()).hasSize(64);
        });
    }

    @Test
    void editedLineIsNamed() throws Exception {
        List<String> lines = lines(file);
        lines.set(4, lines.get(4).replace("\"POLICY_DENY\"", "\"FORWARDED\""));
        rewrite(file, lines);
        Broken broken = broken(verify(List.of(file), KEY));
        assertThat(broken.kind()).isEqualTo(Kind.EDITED);
        assertThat(broken.line()).isEqualTo(5);
        assertThat(broken.detail()).isEqualTo("the hash of sequence 5 does not match its content");
    }

    @Test
    void editedLastLineIsNamed() throws Exception {
        List<String> lines = lines(file);
        lines.set(9, lines.get(9).replace("alice", "bob"));
        rewrite(file, lines);
        assertThat(broken(verify(List.of(file), KEY))).extracting(Broken::kind, Broken::line)
                .containsExactly(Kind.EDITED, 10L);
    }

    @Test
    void deletedLineIsNamedWithTheMissingSequence() throws Exception {
        List<String> lines = lines(file);
        lines.remove(4);
        rewrite(file, lines);
        Broken broken = broken(verify(List.of(file), KEY));
        assertThat(broken.kind()).isEqualTo(Kind.DELETED);
        assertThat(broken.line()).isEqualTo(5);
        assertThat(broken.detail()).isEqualTo("1 line deleted before this one (sequence 5 is missing)");
    }

    @Test
    void linesDeletedFromTheStartAreNamed() throws Exception {
        List<String> lines = lines(file);
        rewrite(file, lines.subList(2, lines.size()));
        Broken broken = broken(verify(List.of(file), KEY));
        assertThat(broken.kind()).isEqualTo(Kind.DELETED);
        assertThat(broken.line()).isEqualTo(1);
    }

    @Test
    void insertedCopyOfALineIsNamed() throws Exception {
        List<String> lines = lines(file);
        lines.add(4, lines.get(3));
        rewrite(file, lines);
        Broken broken = broken(verify(List.of(file), KEY));
        assertThat(broken.kind()).isEqualTo(Kind.INSERTED);
        assertThat(broken.line()).isEqualTo(5);
    }

    @Test
    void insertedForgedLineWithTheNextSequenceIsNamed() throws Exception {
        List<String> lines = lines(file);
        String forged = lines.get(4).replace("/p5", "/forged");
        lines.add(4, forged);
        rewrite(file, lines);
        Broken broken = broken(verify(List.of(file), KEY));
        assertThat(broken.kind()).isEqualTo(Kind.INSERTED);
        assertThat(broken.line()).isEqualTo(5);
    }

    @Test
    void insertedUnsealedLineIsNamed() throws Exception {
        List<String> lines = lines(file);
        lines.add(6, "{\"@timestamp\":\"2026-03-01T08:15:30.123Z\",\"event.action\":\"access.decision\"}");
        rewrite(file, lines);
        Broken broken = broken(verify(List.of(file), KEY));
        assertThat(broken.kind()).isEqualTo(Kind.INSERTED);
        assertThat(broken.line()).isEqualTo(7);
    }

    @Test
    void swappedLinesAreNamedAsReordered() throws Exception {
        List<String> lines = lines(file);
        String fourth = lines.get(3);
        lines.set(3, lines.get(4));
        lines.set(4, fourth);
        rewrite(file, lines);
        Broken broken = broken(verify(List.of(file), KEY));
        assertThat(broken.kind()).isEqualTo(Kind.REORDERED);
        assertThat(broken.line()).isEqualTo(4);
        assertThat(broken.detail()).isEqualTo("sequence 5 comes before 4, which is at audit.jsonl:5");
    }

    @Test
    void lineCutShortAtTheEndIsTruncation() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 30));
        Broken broken = broken(verify(List.of(file), KEY));
        assertThat(broken.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(broken.line()).isEqualTo(10);
        assertThat(broken.detail()).startsWith("the line is cut short after ").endsWith(
                " bytes at the end of the trail and no audit.recovered event accounts for it");
    }

    @Test
    void wholeLinesRemovedAtTheEndLeaveAShorterChainWhoseHeadIsReported() throws Exception {
        List<String> lines = lines(file);
        rewrite(file, lines.subList(0, 7));
        assertThat(verify(List.of(file), KEY)).isInstanceOfSatisfying(Intact.class,
                intact -> assertThat(intact.lastSequence()).isEqualTo(7));
    }

    @Test
    void wrongKeyIsNamedByKeyIds() throws Exception {
        Broken broken = broken(verify(List.of(file), AuditTrailFiles.OTHER_KEY));
        assertThat(broken.kind()).isEqualTo(Kind.WRONG_KEY);
        assertThat(broken.line()).isEqualTo(1);
        assertThat(broken.detail()).matches("audit.jsonl was signed with the key with id [0-9a-f]{8}; the key given "
                + "has id [0-9a-f]{8}");
    }

    @Test
    void controlCharacterInAnEditedValueIsStillAnEdit() throws Exception {
        byte[] bytes = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("/p3", "/p\\\\u00003")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        assertThat(broken(verify(List.of(file), KEY)).kind()).isEqualTo(Kind.EDITED);
    }
}
