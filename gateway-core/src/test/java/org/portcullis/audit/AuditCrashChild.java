package org.portcullis.audit;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.portcullis.config.AuditConfig;

/**
 * The process {@link AuditCrashTest} kills: writes large audit events through the real sink as fast as it can, until
 * it is killed. Large lines make each batch one large {@code write}, which a SIGKILL can cut short.
 */
public final class AuditCrashChild {
    private AuditCrashChild() {
    }

    static AuditConfig config(Path file) {
        return new AuditConfig(file, false, AuditTrailFiles.KEY, AuditConfig.Rotation.NEVER, 0, false,
                AuditConfig.Flush.INTERVAL, Duration.ofMillis(50));
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String padding = "x".repeat(Integer.parseInt(args[1]));
        JsonLinesAuditSink sink = JsonLinesAuditSink.open(config(file), Clock.systemUTC());
        for (long i = 0; ; i++) {
            sink.record(JsonLinesAuditSinkTest.denied("/crash/" + i + "/" + padding));
            if (i % 256 == 0) {
                Thread.onSpinWait();
            }
        }
    }
}
