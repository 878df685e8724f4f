package org.portcullis.audit;

import java.util.Objects;

/**
 * A step of signing in or of a session's life: a sign-in attempt, a lockout, a session created, rotated, joined on
 * another host, expired, ended by sign-out or revoked. Never a password, code, cookie or token: the session appears
 * only as its one-way display hash.
 *
 * @param action      one of the {@code ACTION_*} constants (docs/audit-log.md)
 * @param reason      a code from a closed set ({@code wrong_password}, {@code locked_account}, {@code csrf}, …)
 * @param user        the canonical account, or the canonical login tried when no account has that name; null if none
 * @param sourceIp    the client address
 * @param host        the host the request was for
 * @param sessionHash the display hash of the session concerned, or null
 * @param requestId   joins the access-log line; null for events with no request (admin commands)
 */
public record SignInEvent(String action, AuditOutcome outcome, String reason, String user, String sourceIp,
                          String host, String sessionHash, String requestId) implements AuditEvent {

    public static final String ACTION_SIGN_IN = "user.sign_in";
    public static final String ACTION_SIGN_OUT = "user.sign_out";
    public static final String ACTION_LOCKOUT = "user.lockout";
    public static final String ACTION_SESSION_CREATE = "session.create";
    public static final String ACTION_SESSION_JOIN = "session.join";
    public static final String ACTION_SESSION_EXPIRE = "session.expire";
    public static final String ACTION_SESSION_REVOKE = "session.revoke";
    public static final String ACTION_CALLBACK = "sso.callback";

    public SignInEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }
}
