package org.portcullis.portal.guard;

import java.util.Objects;
import java.util.Optional;

/**
 * What the request's {@code Cookie} headers say about the login CSRF cookie. Only {@link Outcome#FOUND} carries a
 * token. The token is a secret of the form, so {@link #toString()} never prints it.
 */
public record CsrfCookieLookup(Outcome outcome, Optional<String> token) {

    public enum Outcome {
        /** No CSRF cookie. */
        ABSENT,
        /** Exactly one, with the exact name and a well-formed token. */
        FOUND,
        /** More than one (also in another letter case): cookie tossing, or a confused client. */
        DUPLICATE,
        /** One, but malformed: a case-variant name, a value that is not a token, control bytes in the header. */
        MALFORMED
    }

    public CsrfCookieLookup {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(token, "token");
        if (token.isPresent() != (outcome == Outcome.FOUND)) {
            throw new IllegalArgumentException("CsrfCookieLookup: a token comes with FOUND and only with FOUND");
        }
    }

    @Override
    public String toString() {
        return "CsrfCookieLookup[" + outcome + "]";
    }
}
