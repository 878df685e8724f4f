package org.portcullis.ops;

import java.util.Objects;
import java.util.Optional;
import org.portcullis.audit.AuditEvent;
import org.portcullis.audit.AuditSink;

/**
 * The gateway's audit sink with the metrics counting each event on its way in: every sign-in, factor, lockout and
 * reload already passes here, so the metrics need no call of their own in the portal's code.
 */
final class MeteringAuditSink implements AuditSink {
    private final AuditSink sink;
    private final AuditMetrics metrics;

    MeteringAuditSink(AuditSink sink, AuditMetrics metrics) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void record(AuditEvent event) {
        try {
            metrics.count(event);
        } finally {
            sink.record(event);
        }
    }

    @Override
    public Optional<String> problem() {
        return sink.problem();
    }

    @Override
    public long dropped() {
        return sink.dropped();
    }

    @Override
    public void close() {
        sink.close();
    }
}
