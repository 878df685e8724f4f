package org.portcullis.portal.guard;

import java.util.Objects;

/**
 * The outcome of a CSRF check on one form POST: {@link Outcome#ALLOWED}, or the first defence that refused it, with
 * the origin check's own outcome for the audit log.
 */
public record CsrfVerdict(Outcome outcome, RequestOriginCheck.Outcome origin) {

    public enum Outcome {
        ALLOWED,
        /** {@link RequestOriginCheck} refused; {@link #origin()} says why. */
        ORIGIN_REFUSED,
        /** Login: no {@value CsrfCookie#NAME} cookie (expired browser session, or a forged post). */
        COOKIE_ABSENT,
        /** Login: the cookie more than once (cookie tossing). */
        COOKIE_DUPLICATE,
        /** Login: a malformed cookie. */
        COOKIE_MALFORMED,
        /** No well-formed {@code csrf} form field. */
        TOKEN_MISSING,
        /** A well-formed {@code csrf} field that is not the expected token. */
        TOKEN_MISMATCH
    }

    public CsrfVerdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(origin, "origin");
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }
}
