package org.portcullis.audit;

/** The sink when no {@code audit.file} is configured: events are discarded. */
public final class NoopAuditSink implements AuditSink {
    public static final NoopAuditSink INSTANCE = new NoopAuditSink();

    private NoopAuditSink() {
    }

    @Override
    public void record(AuditEvent event) {
        // no audit file configured
    }

    @Override
    public void close() {
        // nothing held
    }
}
