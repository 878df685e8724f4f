package org.portcullis.policy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.portcullis.config.SecondFactor;

/**
 * What the caller has proved so far: nothing ({@link Anonymous}), or a signed-in user with the factors completed in
 * this session and when each was last completed. A session that has only begun the first factor is anonymous
 * (SECURITY-RULES 12).
 */
public sealed interface AuthState permits AuthState.Anonymous, AuthState.SignedIn {

    static Anonymous anonymous() {
        return new Anonymous();
    }

    /** A user who has just completed the first factor (the password) at {@code at}. */
    static SignedIn signedIn(Identity identity, Instant at) {
        return new SignedIn(identity, Map.of(AuthFactor.PASSWORD, at));
    }

    /** No session, or a session that has not completed the first factor. */
    record Anonymous() implements AuthState {
    }

    /**
     * @param identity  the user and their groups
     * @param completed every factor completed in this session, with the time it was last completed; always contains
     *                  a first factor ({@link AuthFactor#PASSWORD} or {@link AuthFactor#PASSKEY})
     */
    record SignedIn(Identity identity, Map<AuthFactor, Instant> completed) implements AuthState {
        public SignedIn {
            Objects.requireNonNull(identity, "identity");
            completed = Map.copyOf(completed);
            if (!hasFirstFactor(completed)) {
                throw new IllegalArgumentException("AuthState: a signed-in session has completed the first factor");
            }
        }

        /** A loop, not a stream: every signed-in request makes one of these. */
        private static boolean hasFirstFactor(Map<AuthFactor, Instant> completed) {
            for (AuthFactor factor : completed.keySet()) {
                if (factor.isFirstFactor()) {
                    return true;
                }
            }
            return false;
        }

        /** This session after completing {@code factor} (again) at {@code at}. */
        public SignedIn withFactor(AuthFactor factor, Instant at) {
            Map<AuthFactor, Instant> next = new EnumMap<>(completed);
            next.put(factor, Objects.requireNonNull(at, "at"));
            return new SignedIn(identity, next);
        }

        /** When a second factor that satisfies {@code accepted} was last completed, if ever. */
        public Optional<Instant> latestSecondFactor(Set<SecondFactor> accepted) {
            Instant latest = null;
            for (Map.Entry<AuthFactor, Instant> e : completed.entrySet()) {
                if (e.getKey().satisfies(accepted) && (latest == null || e.getValue().isAfter(latest))) {
                    latest = e.getValue();
                }
            }
            return Optional.ofNullable(latest);
        }
    }
}
