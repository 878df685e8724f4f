package org.portcullis.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.portcullis.config.FactorStrength;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.SecondFactor;

/**
 * What a matched rule (or the default policy) demands, turned into a {@link Decision} for one authentication state.
 *
 * <p>Second-factor freshness: a factor completed at {@code t} is fresh at {@code now} when {@code now - t} is
 * strictly less than {@code maxAge}; at exactly {@code maxAge} it is stale ("younger than 15m"). A completion time
 * in the future (clock skew between cluster nodes) counts as age zero.
 *
 * <p>Minimum strength ({@code minimum_strength}) narrows {@code accepted} to the factors of at least that grade
 * ({@link FactorStrength}): a session whose only second factor is a TOTP code meets a {@code best} rule as a
 * challenge for a security key, never as an allow. A recovery code is accepted only by a rule that accepts every kind
 * of second factor, so a minimum of {@code best} also refuses it.
 *
 * <p>A lapsed exception ({@code lapsesAfter}, the {@code review_by} day of the rule's exception when
 * {@code exceptions_expired} is {@code deny}): from the next UTC day on the rule refuses whatever it would have allowed
 * ({@link DenyReason#EXCEPTION_LAPSED}), with the engine's clock, so a gateway that runs past the date without a reload
 * still stops honouring it.
 *
 * @param accepted    second factors that satisfy a two_factor rule; never empty (an empty {@code factors} means all)
 * @param maxAge      step-up limit, or null for none; only two_factor rules use it
 * @param lapsesAfter the last day the rule's exception holds, or null when it has none or a lapse only warns
 */
record RuleDemand(String rule, PolicyKind policy, Set<SecondFactor> accepted, Duration maxAge, DenyReason denyReason,
                  LocalDate lapsesAfter) {

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

    RuleDemand(String rule, PolicyKind policy, Set<SecondFactor> accepted, Duration maxAge, DenyReason denyReason) {
        this(rule, policy, accepted, maxAge, denyReason, null);
    }

    /** The demand of a rule that accepts only second factors of at least {@code minimum} (null: any). */
    static Set<SecondFactor> atLeast(Set<SecondFactor> factors, FactorStrength minimum) {
        Set<SecondFactor> all = factors.isEmpty() ? ALL_SECOND_FACTORS : factors;
        if (minimum == null) {
            return all;
        }
        Set<SecondFactor> strong = EnumSet.noneOf(SecondFactor.class);
        for (SecondFactor factor : all) {
            if (FactorStrength.of(factor).atLeast(minimum)) {
                strong.add(factor);
            }
        }
        if (strong.isEmpty()) {
            // the loader refuses such a rule; an engine built around it would otherwise accept every factor
            throw new IllegalArgumentException("no factor of " + all + " reaches minimum strength " + minimum);
        }
        return strong;
    }

    Decision apply(AuthState auth, Instant now) {
        if (lapsesAfter != null && LocalDate.ofInstant(now, ZoneOffset.UTC).isAfter(lapsesAfter)) {
            return new Decision.Deny(rule, DenyReason.EXCEPTION_LAPSED);
        }
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
