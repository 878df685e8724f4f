package org.portcullis.signin;

import java.util.Objects;
import org.portcullis.identity.User;
import org.portcullis.policy.AuthState;
import org.portcullis.policy.Identity;
import org.portcullis.session.Session;
import org.portcullis.session.SessionId;

/**
 * What the gateway's cookie on one request amounts to. Only {@link Status#SIGNED_IN} signs the request in; every
 * other status is anonymous for the policy (SECURITY-RULES 12: a session that still owes its second factor is not a
 * session), and the statuses say why, for the audit trail and for the page the user sees.
 *
 * @param id      the session id from the cookie, or null when there was no usable cookie
 * @param session the stored session for {@link Status#SIGNED_IN} and {@link Status#PENDING_SECOND_FACTOR}, else null
 * @param user    the account for the same two statuses, as the user directory knows it now, else null
 */
public record ResolvedSession(Status status, SessionId id, Session session, User user) {

    public enum Status {
        /** No gateway cookie. */
        NONE,
        /** Two or more gateway cookies (cookie tossing): neither is used. */
        DUPLICATE_COOKIE,
        /** A malformed gateway cookie. */
        MALFORMED_COOKIE,
        /** No such session: never issued, logged out, revoked or rotated away. */
        UNKNOWN,
        /** The idle timeout passed. */
        EXPIRED_IDLE,
        /** The absolute timeout passed. */
        EXPIRED_ABSOLUTE,
        /** The account was removed from the directory or disabled: the session was ended. */
        USER_GONE,
        /** Signed in with the password, the second factor still to come: only the second-factor pages answer. */
        PENDING_SECOND_FACTOR,
        /** A good session. */
        SIGNED_IN
    }

    /** Session attribute that marks a session whose second factor is still due (set by the second-factor issues). */
    public static final String SECOND_FACTOR_DUE = "second_factor_due";

    public ResolvedSession {
        Objects.requireNonNull(status, "status");
        boolean hasSession = status == Status.SIGNED_IN || status == Status.PENDING_SECOND_FACTOR;
        if (hasSession != (session != null && user != null && id != null)) {
            throw new IllegalArgumentException("ResolvedSession: " + status + " needs exactly a session, user and id");
        }
    }

    public static ResolvedSession without(Status status) {
        return new ResolvedSession(status, null, null, null);
    }

    public boolean signedIn() {
        return status == Status.SIGNED_IN;
    }

    /** True when the browser holds a cookie that no longer names a good session and should be told to drop it. */
    public boolean cookieToClear() {
        return status != Status.NONE && status != Status.SIGNED_IN && status != Status.PENDING_SECOND_FACTOR;
    }

    /** True when a session existed and ran out, so the sign-in page can say so. */
    public boolean expired() {
        return status == Status.EXPIRED_IDLE || status == Status.EXPIRED_ABSOLUTE;
    }

    /** The policy's view: signed in with the session's factors, or anonymous. */
    public AuthState authState() {
        if (status != Status.SIGNED_IN) {
            return AuthState.anonymous();
        }
        // Set.copyOf drops duplicate group names; Identity and SignedIn keep these immutable copies as they are.
        return new AuthState.SignedIn(new Identity(user.username(), java.util.Set.copyOf(user.groups())),
                session.factors());
    }

    /** The one-way hash of the session id for the audit trail, or null. */
    public String sessionHash() {
        return id == null ? null : id.hash().displayId();
    }
}
