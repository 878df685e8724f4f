package org.portcullis.session;

import java.util.Objects;

/** What {@link SessionManager#validate} found for a cookie's id. Anything but {@link Valid} is no session. */
public sealed interface SessionValidation
        permits SessionValidation.Valid, SessionValidation.Expired, SessionValidation.Unknown {

    /** Which deadline passed. */
    enum Expiry {
        /** Not used for longer than the idle timeout. */
        IDLE,
        /** Older than the absolute timeout. */
        ABSOLUTE
    }

    /** A live session, with its idle deadline already moved if this request moved it. */
    record Valid(Session session) implements SessionValidation {
        public Valid {
            Objects.requireNonNull(session, "session");
        }
    }

    /** The session existed but its deadline passed; it has been deleted. */
    record Expired(Expiry expiry) implements SessionValidation {
        public Expired {
            Objects.requireNonNull(expiry, "expiry");
        }
    }

    /** No such session: never issued, logged out, revoked, rotated away or purged. */
    record Unknown() implements SessionValidation {
    }
}
