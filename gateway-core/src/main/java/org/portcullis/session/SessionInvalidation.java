package org.portcullis.session;

import java.util.Objects;

/**
 * Something that may make a cached view of a session wrong, published by whoever changed it
 * ({@link InvalidatingSessionStore} for every store change this node makes, the sign-in services for user and factor
 * changes, {@link SessionCacheKeeper} for changes another process wrote to the store). Plain records with no secret
 * in them (the store key is the SHA-256 of the cookie's id, never the id), so a later cluster transport can carry the
 * same events to every node (docs/sessions.md, "Session cache").
 */
public sealed interface SessionInvalidation {

    /** One session ended or changed (sign-out, revocation, rotation, attribute change, expiry). */
    record OneSession(SessionIdHash idHash) implements SessionInvalidation {
        public OneSession {
            Objects.requireNonNull(idHash, "idHash");
        }
    }

    /** Every session of one account: the account or its factors changed, or its sessions were revoked. */
    record OneUser(String user) implements SessionInvalidation {
        public OneUser {
            Objects.requireNonNull(user, "user");
        }
    }

    /** Anything may have changed (a users file reload, a write by another process, a store that stopped answering). */
    record Everything() implements SessionInvalidation {
    }

    /** Receives invalidations; called on the thread that made the change, after the change is in the store. */
    @FunctionalInterface
    interface Listener {
        void invalidated(SessionInvalidation event);
    }
}
