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
    /** A session moved to a new id after a further factor (SECURITY-RULES 11). */
    public static final String ACTION_SESSION_ROTATE = "session.rotate";
    /** A second-factor code checked (TOTP at sign-in, or confirming a new authenticator). */
    public static final String ACTION_FACTOR_VERIFY = "factor.verify";
    /** A TOTP code whose time step was already used: refused, and logged as a possible replay (SECURITY-RULES 13). */
    public static final String ACTION_FACTOR_REPLAY = "factor.replay";
    /** An authenticator enrolment started ({@code pending}) or confirmed with a code from it. */
    public static final String ACTION_FACTOR_ENROL = "factor.enrol";
    /** An authenticator renamed on the account page. */
    public static final String ACTION_FACTOR_RENAME = "factor.rename";
    /** An authenticator removed on the account page (or a refused removal of the last one). */
    public static final String ACTION_FACTOR_REMOVE = "factor.remove";
    /** An admin-issued enrolment code typed in: accepted, unknown, expired or already used. */
    public static final String ACTION_INVITATION_REDEEM = "invitation.redeem";
    /** A recovery code used in place of a second factor. */
    public static final String ACTION_RECOVERY_CODE_USE = "recovery_code.use";
    /** A new set of recovery codes generated (the old set stops working). */
    public static final String ACTION_RECOVERY_CODE_REGENERATE = "recovery_code.regenerate";
    /** The recovery codes page's codes downloaded as a text file (or the download refused: CSRF, malformed). */
    public static final String ACTION_RECOVERY_CODE_DOWNLOAD = "recovery_code.download";
    /**
     * A security key answered with a signature counter that did not move forward (W3C WebAuthn §6.1.1): its key may
     * have been copied. The sign-in was refused; {@code disabled} when the key was disabled for it.
     */
    public static final String ACTION_FACTOR_CLONE_SUSPECTED = "factor.clone_suspected";
    /** The SSH jump host's security-key approval link: issued, approved, denied, refused or expired (issue 17). */
    public static final String ACTION_SSH_APPROVE = "ssh.approve";
    /** {@code portcullis connect}'s device-code sign-in: codes issued, approved, denied or refused (issue 17). */
    public static final String ACTION_CONNECT_DEVICE = "connect.device";

    public SignInEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }
}
