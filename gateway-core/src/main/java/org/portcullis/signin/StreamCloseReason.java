package org.portcullis.signin;

/**
 * Why a long-lived stream ended, as the audit trail's {@code remote.close} says it ({@code event.reason}). The first
 * cause wins: a stream cut because its session was revoked is "revoked" even though its peers then close too.
 */
public enum StreamCloseReason {
    SIGN_OUT("sign_out"),
    /** Ended by an admin ({@code sessions revoke}), or its session was replaced (rotation, sign-in elsewhere). */
    REVOKED("revoked"),
    EXPIRED_IDLE("expired_idle"),
    EXPIRED_ABSOLUTE("expired_absolute"),
    USER_REMOVED("user_removed"),
    USER_DISABLED("user_disabled"),
    MFA_RESET("mfa_reset"),
    POLICY_CHANGED("policy_changed"),
    MAX_DURATION("max_duration"),
    IDLE_TIMEOUT("idle_timeout"),
    SHUTDOWN("shutdown"),
    /** The client broke the stream's framing (an RD Gateway packet out of order, too long, unknown). */
    PROTOCOL_ERROR("protocol_error"),
    CLOSED_BY_CLIENT("closed_by_client"),
    CLOSED_BY_TARGET("closed_by_target");

    private final String code;

    StreamCloseReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
