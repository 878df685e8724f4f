package org.portcullis.config;

import java.util.Optional;
import java.util.Set;

/**
 * How strong the authentication a rule demands is, on the grading of NHS England's MFA policy (2023): a password
 * alone is {@link #WEAK}; a second factor that can be phished (an authenticator-app code, TOTP, or a recovery code) is
 * {@link #BETTER}; a phishing-resistant factor bound to the origin (a WebAuthn security key or passkey) is
 * {@link #BEST}. A rule that asks for nothing ({@code bypass}) is {@link #NONE}. Ordered from weakest to strongest.
 */
public enum FactorStrength {
    NONE("none"),
    WEAK("weak"),
    BETTER("better"),
    BEST("best");

    private final String yamlName;

    FactorStrength(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** The grade of one second factor: only WebAuthn is bound to the origin, so only it resists phishing. */
    public static FactorStrength of(SecondFactor factor) {
        return factor == SecondFactor.WEBAUTHN ? BEST : BETTER;
    }

    /**
     * The grade a rule guarantees: the weakest factor it accepts, since the caller chooses which one to use. A rule
     * that accepts every kind of second factor also accepts a recovery code (graded {@link #BETTER}).
     *
     * @return empty for {@code deny} (nobody gets through, so there is no strength to grade)
     */
    public static Optional<FactorStrength> ofRule(PolicyKind policy, Set<SecondFactor> factors) {
        switch (policy) {
            case BYPASS:
                return Optional.of(NONE);
            case ONE_FACTOR:
                return Optional.of(WEAK);
            case DENY:
                return Optional.empty();
            default:
                FactorStrength weakest = BEST;
                for (SecondFactor factor : factors.isEmpty() ? Set.of(SecondFactor.values()) : factors) {
                    FactorStrength grade = of(factor);
                    weakest = grade.compareTo(weakest) < 0 ? grade : weakest;
                }
                return Optional.of(weakest);
        }
    }

    public boolean atLeast(FactorStrength other) {
        return compareTo(other) >= 0;
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
