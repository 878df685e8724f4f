package org.portcullis.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.SecondFactor;

/**
 * What a matched rule (or the default policy) demands, turned into a {@link Decision} for one authentication state.
 *
 * <p>Second-factor freshness: a factor completed at {@code t} is fresh at {@code now} when {@code now - t} is
 * strictly less than {@code maxAge}; at exactly {@code maxAge} it is stale ("younger than 15m"). A completion time
 * in the future (clock skew between cluster nodes) counts as age zero.
 *
 * @param accepted second factors that satisfy a two_factor rule; never empty (an empty {@code factors} means all)
 * @param maxAge   step-up limit, or null for none; only two_factor rules use it
 */
record RuleDemand(String rule, PolicyKind policy, Set<SecondFactor> accepted, Duration maxAge, DenyReason denyReason) {

    private static final Set<SecondFactor> ALL_SECOND_FACTORS = EnumSet.allOf(SecondFactor.class);

    RuleDemand {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(denyReason, "denyReason");
        accepted = accepted.isEmpty() ? ALL_SECOND_FACTORS : Set.copyOf(accepted);
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("rule '" + rule + "': max_factor_age must be positive");
        }
    }

    Decision apply(AuthState auth, Instant now) {
        switch (policy) {
            case BYPASS:
                return new Decision.Allow(rule, null);
            case DENY:
                return new Decision.Deny(rule, denyReason);
            case ONE_FACTOR:
                if (auth instanceof AuthState.SignedIn signedIn) {
                    return new Decision.Allow(rule, signedIn.identity());
                }
                return new Decision.Challenge(rule, new Requirement.SignIn());
            case TWO_FACTOR:
                if (auth instanceof AuthState.SignedIn signedIn) {
                    return twoFactor(signedIn, now);
                }
                return new Decision.Challenge(rule, new Requirement.SignIn());
            default:
                throw new IllegalStateException("RuleDemand: unknown policy " + policy);
        }
    }

    private Decision twoFactor(AuthState.SignedIn signedIn, Instant now) {
        Optional<Instant> completedAt = signedIn.latestSecondFactor(accepted);
        if (completedAt.isEmpty()) {
            return new Decision.Challenge(rule, new Requirement.SecondFactorRequired(accepted));
        }
        if (maxAge != null && !isFresh(completedAt.get(), now)) {
            return new Decision.Challenge(rule, new Requirement.StepUp(accepted, maxAge));
        }
        return new Decision.Allow(rule, signedIn.identity());
    }

    private boolean isFresh(Instant completedAt, Instant now) {
        Duration age = Duration.between(completedAt, now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        return age.compareTo(maxAge) < 0;
    }
}
