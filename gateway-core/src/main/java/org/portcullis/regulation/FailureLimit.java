package org.portcullis.regulation;

import java.time.Duration;
import java.util.Objects;
import org.portcullis.config.LockoutConfig;

/**
 * A sliding-window limit: {@code maxFailures} failures within any {@code window} lock the subject for
 * {@code lockout}. "Within" is the half-open interval {@code (now - window, now]}: a failure exactly one window old
 * no longer counts.
 *
 * @param maxFailures 1 to {@value #MAX_FAILURES_CAP}; the store keeps at most this many failure times per subject
 * @param window      positive
 * @param lockout     positive
 */
public record FailureLimit(int maxFailures, Duration window, Duration lockout) {

    /** Bounds a row of the store: it keeps at most this many failure times. */
    public static final int MAX_FAILURES_CAP = LockoutConfig.MAX_ADDRESS_FAILURES_CAP;

    public FailureLimit {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(lockout, "lockout");
        if (maxFailures < 1 || maxFailures > MAX_FAILURES_CAP) {
            throw new IllegalArgumentException("FailureLimit: maxFailures must be 1 to " + MAX_FAILURES_CAP
                    + " but is " + maxFailures);
        }
        rejectNotPositive(window, "window");
        rejectNotPositive(lockout, "lockout");
    }

    /**
     * The default per-address limit: 20 failures in 5 minutes lock the address for 15 minutes. Higher than the
     * account limit because many honest users share one address (a hospital behind NAT, a ward's shared terminals);
     * it exists to slow one source that sprays guesses across many accounts, which per-account counters alone
     * never see.
     */
    public static FailureLimit addressDefaults() {
        return addressLimit(LockoutConfig.defaults());
    }

    /** The per-address limit the config's {@code lockout} section gives. */
    public static FailureLimit addressLimit(LockoutConfig config) {
        return new FailureLimit(config.addressMaxFailures(), config.addressWindow(), config.addressLockFor());
    }

    static void rejectNotPositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("FailureLimit: " + name + " must be positive but is " + duration);
        }
    }
}
