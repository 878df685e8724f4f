package org.portcullis.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.portcullis.config.SecondFactor;

/** What a {@link Decision.Challenge} asks the caller to complete before the request is evaluated again. */
public sealed interface Requirement
        permits Requirement.SignIn, Requirement.SecondFactorRequired, Requirement.StepUp {

    /** Sign in with the first factor; the request is then evaluated again with the user known. */
    record SignIn() implements Requirement {
    }

    /**
     * Complete a second factor of one of the {@code accepted} kinds. Also returned when the session only has a
     * second factor of a kind the rule does not accept: a TOTP never satisfies a webauthn-only rule.
     */
    record SecondFactorRequired(Set<SecondFactor> accepted) implements Requirement {
        public SecondFactorRequired {
            accepted = Set.copyOf(accepted);
        }

        public boolean accepts(AuthFactor factor) {
            return factor.satisfies(accepted);
        }
    }

    /** Complete an {@code accepted} second factor again: the last one is {@code maxAge} old or older. */
    record StepUp(Set<SecondFactor> accepted, Duration maxAge) implements Requirement {
        public StepUp {
            accepted = Set.copyOf(accepted);
            Objects.requireNonNull(maxAge, "maxAge");
        }

        public boolean accepts(AuthFactor factor) {
            return factor.satisfies(accepted);
        }
    }
}
