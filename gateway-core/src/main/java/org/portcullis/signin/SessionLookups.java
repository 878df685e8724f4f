package org.portcullis.signin;

import org.portcullis.session.CookieLookup;

/** Resolving a cookie without the store: when there is nothing to look up, or no store to look in. */
public final class SessionLookups {
    private SessionLookups() {
    }

    /**
     * The session of a request whose cookie needs no store read: absent, tossed or malformed. A well-formed cookie on
     * a gateway without sign-in names no session the gateway knows.
     */
    public static ResolvedSession withoutStore(CookieLookup cookie) {
        switch (cookie.outcome()) {
            case ABSENT:
                return ResolvedSession.without(ResolvedSession.Status.NONE);
            case DUPLICATE:
                return ResolvedSession.without(ResolvedSession.Status.DUPLICATE_COOKIE);
            case MALFORMED:
                return ResolvedSession.without(ResolvedSession.Status.MALFORMED_COOKIE);
            default:
                return ResolvedSession.without(ResolvedSession.Status.UNKNOWN);
        }
    }
}
