package org.portcullis.signin;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.portcullis.audit.AuditSink;
import org.portcullis.audit.RemoteAccess;
import org.portcullis.policy.AuthFactor;

/**
 * Writes {@code remote.open} and {@code remote.close} to the audit trail for every stream (docs/audit-log.md): who
 * had what open, from where, when, for how long, how many bytes each way, and why it ended.
 */
public final class StreamAudit implements StreamEvents {
    private final AuditSink audit;

    public StreamAudit(AuditSink audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public void opened(LiveStreams.Stream stream) {
        audit.record(event(stream, RemoteAccess.ACTION_OPEN, RemoteAccess.REASON_OPENED, null));
    }

    @Override
    public void closed(LiveStreams.Stream stream, StreamCloseReason reason, Instant closedAt) {
        audit.record(event(stream, RemoteAccess.ACTION_CLOSE, reason.code(), closedAt));
    }

    private static RemoteAccess event(LiveStreams.Stream stream, String action, String reason, Instant closedAt) {
        LiveStreams.Entry entry = stream.entry();
        return new RemoteAccess(action, reason, entry.user(), entry.source(), entry.session().displayId(),
                entry.kind().code(), entry.target(), entry.route(), entry.factorNames(), ages(entry),
                entry.openedAt(), closedAt, closedAt == null ? 0 : stream.bytesFromClient(),
                closedAt == null ? 0 : stream.bytesToClient());
    }

    /** {@code password=120,totp=60}: each factor's age in whole seconds when the stream opened. */
    static String ages(LiveStreams.Entry entry) {
        if (entry.factors().isEmpty()) {
            return null;
        }
        Map<AuthFactor, Instant> sorted = new TreeMap<>(entry.factors());
        return sorted.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + "="
                        + Math.max(0, Duration.between(e.getValue(), entry.openedAt()).toSeconds()))
                .collect(Collectors.joining(","));
    }
}
