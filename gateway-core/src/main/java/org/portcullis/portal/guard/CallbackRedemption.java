package org.portcullis.portal.guard;

import java.util.Objects;
import java.util.Optional;

/** The outcome of redeeming one callback code: the grant, or why there is none (for the audit log). */
public record CallbackRedemption(Outcome outcome, Optional<CallbackGrant> grant) {

    public enum Outcome {
        /** Issued for this host, within its lifetime, first use. */
        REDEEMED,
        /** Not a code at all (wrong length or alphabet); the store was not consulted. */
        MALFORMED,
        /** Never issued, already used, or pushed out by newer codes. A repeat of a used code is a replay signal. */
        UNKNOWN,
        /** Issued, but redeemed at or after its expiry (or before its issue time, if the clock stepped back). */
        EXPIRED,
        /** Issued for another host. The code is consumed all the same: a leaked code is good nowhere. */
        WRONG_HOST,
        /**
         * Issued for another browser: the request has no {@link SsoState} nonce, or not the one the sign-in started
         * with (a callback link sent to someone else, SECURITY-RULES 25). Consumed all the same.
         */
        STATE_MISMATCH
    }

    public CallbackRedemption {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(grant, "grant");
        if (grant.isPresent() != (outcome == Outcome.REDEEMED)) {
            throw new IllegalArgumentException("CallbackRedemption: a grant comes with REDEEMED and only with it");
        }
    }

    static CallbackRedemption refused(Outcome outcome) {
        return new CallbackRedemption(outcome, Optional.empty());
    }
}
