package org.portcullis.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A long-lived stream (a WebSocket tunnel; a remote desktop, SSH or TCP tunnel later) opened or ended: who had what
 * open, from where, when, for how long and how much went through it (docs/live-connections.md). No secret: the session
 * appears only as its one-way display hash, the target as the host and path (or {@code host:port}) it reached.
 *
 * @param action          {@link #ACTION_OPEN}, {@link #ACTION_CLOSE}, or {@link #ACTION_REFUSED} (a remote desktop or
 *                        tunnel refused before anything was opened: no token, token reused, target mismatch, …)
 * @param reason          {@code opened}, why it closed ({@code sign_out}, {@code revoked}, {@code max_duration}, …) or
 *                        why it was refused
 * @param user            the session's user; null only for a refusal that named no user (an unknown token)
 * @param sourceIp        the client's address, or null if unknown
 * @param sessionHash     the display hash of the session that opened it (null for a refusal before it was known)
 * @param kind            {@code websocket}, {@code rdp}, {@code ssh} or {@code tcp}
 * @param target          what it reached
 * @param route           the route (or remote desktop) name
 * @param factors         the factors the session had completed when it opened ({@code password}, {@code totp}, …)
 * @param factorsAge      each factor's age in seconds when the stream opened, {@code password=120,totp=60}
 * @param openedAt        when it opened
 * @param closedAt        when it ended; null for an opening
 * @param bytesFromClient bytes relayed from the client to the target (0 for an opening)
 * @param bytesToClient   bytes relayed from the target to the client (0 for an opening)
 */
public record RemoteAccess(String action, String reason, String user, String sourceIp, String sessionHash,
                           String kind, String target, String route, List<String> factors, String factorsAge,
                           Instant openedAt, Instant closedAt, long bytesFromClient, long bytesToClient)
        implements AuditEvent {
    public static final String ACTION_OPEN = "remote.open";
    public static final String ACTION_CLOSE = "remote.close";
    public static final String ACTION_REFUSED = "remote.refused";
    public static final String REASON_OPENED = "opened";

    public RemoteAccess {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        if (!ACTION_REFUSED.equals(action)) {
            Objects.requireNonNull(user, "user");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(openedAt, "openedAt");
        factors = factors == null ? List.of() : List.copyOf(factors);
    }

    /**
     * A refusal is a failure. A stream that opened and ended is a success, cut or not: one the gateway cut says why in
     * the reason.
     */
    @Override
    public AuditOutcome outcome() {
        return ACTION_REFUSED.equals(action) ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS;
    }

    /** How long it was open; null for an opening. */
    public Duration duration() {
        return closedAt == null ? null : Duration.between(openedAt, closedAt);
    }
}
