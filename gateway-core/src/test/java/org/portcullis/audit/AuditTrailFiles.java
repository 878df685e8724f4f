package org.portcullis.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.config.AuditConfig;

/** Writes trails through the real sink and edits their files the way an attacker with a text editor would. */
final class AuditTrailFiles {
    static final String KEY = JsonLinesAuditSinkTest.KEY;
    static final String OTHER_KEY = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

    private AuditTrailFiles() {
    }

    static AuditConfig config(Path file, AuditConfig.Rotation rotation, long maxSize, boolean compress) {
        return new AuditConfig(file, false, KEY, rotation, maxSize, compress, AuditConfig.Flush.EVERY_EVENT,
                Duration.ofSeconds(1));
    }

    /** {@code count} denials of {@code /p1} … {@code /pN}, written through the sink into {@code config.file()}. */
    static void write(AuditConfig config, Clock clock, int count) throws IOException {
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(config, clock)) {
            for (int i = 1; i <= count; i++) {
                sink.record(JsonLinesAuditSinkTest.denied("/p" + i));
            }
        }
    }

    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static void rewrite(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static AuditVerifier.Result verify(List<Path> files, String key) throws IOException {
        return AuditVerifier.verify(files, AuditKey.fromText(key));
    }
}
