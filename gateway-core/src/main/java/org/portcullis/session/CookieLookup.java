package org.portcullis.session;

import java.util.Objects;
import java.util.Optional;

/**
 * What the request's {@code Cookie} headers say about the gateway's cookie. Only {@link Outcome#FOUND} carries an id;
 * every other outcome means "no session" and is worth an audit line of its own (tossing is an attack signal).
 */
public record CookieLookup(Outcome outcome, Optional<SessionId> id) {

    public enum Outcome {
        /** No gateway cookie. */
        ABSENT,
        /** Exactly one, well-formed. */
        FOUND,
        /** More than one (also in another letter case): cookie tossing from a sibling host, or a confused client. */
        DUPLICATE,
        /** One, but with a malformed value, a case-variant name, or control bytes in the header. */
        MALFORMED
    }

    public CookieLookup {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(id, "id");
        if (id.isPresent() != (outcome == Outcome.FOUND)) {
            throw new IllegalArgumentException("CookieLookup: an id comes with FOUND and only with FOUND");
        }
    }

    static CookieLookup found(SessionId id) {
        return new CookieLookup(Outcome.FOUND, Optional.of(id));
    }

    static CookieLookup none(Outcome outcome) {
        return new CookieLookup(outcome, Optional.empty());
    }
}
