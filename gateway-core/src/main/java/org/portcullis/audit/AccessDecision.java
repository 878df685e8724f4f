package org.portcullis.audit;

import java.util.List;
import java.util.Objects;

/**
 * The gateway allowed or refused one request. Canonical values only: the path without its query (queries carry tokens
 * and patient identifiers), no headers, no cookies. Fields not known when the request was refused (a request the
 * decoder rejected has no host, path or route) are null and left out of the line.
 *
 * @param sourceIp    the client address the decision was made for (after trusted-proxy resolution when known)
 * @param sessionHash a one-way hash of the session id (never the id itself), or null without a session
 * @param requestId   the id also written to the access log, to join the two
 * @param status      the HTTP status the client got
 * @param factors     the factors the caller's session had completed ({@code password}, {@code totp}, …), empty
 *                    without a signed-in session
 */
public record AccessDecision(
        AuditOutcome outcome,
        String reason,
        String user,
        String sourceIp,
        String host,
        String method,
        String path,
        String route,
        String ruleId,
        String sessionHash,
        String requestId,
        int status,
        List<String> factors) implements AuditEvent {

    public static final String ACTION = "access.decision";

    /** A decision without a signed-in session: no factors. */
    public AccessDecision(AuditOutcome outcome, String reason, String user, String sourceIp, String host, String method,
                          String path, String route, String ruleId, String sessionHash, String requestId, int status) {
        this(outcome, reason, user, sourceIp, host, method, path, route, ruleId, sessionHash, requestId, status,
                List.of());
    }

    public AccessDecision {
        factors = factors == null ? List.of() : List.copyOf(factors);
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(requestId, "requestId");
    }

    @Override
    public String action() {
        return ACTION;
    }
}
