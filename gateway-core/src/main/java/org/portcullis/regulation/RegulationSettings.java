package org.portcullis.regulation;

import java.time.Duration;
import java.util.Objects;
import org.portcullis.config.LockoutConfig;

/**
 * The per-account limits of one factor: {@code maxFailures} failures within {@code window} lock the account for
 * {@code lockout}; {@code maxConsecutiveFailures} failures without a success in between lock it until an admin runs
 * {@code portcullis users unlock}, however slowly they came.
 *
 * <p>NIST SP 800-63B §5.2.2 requires a verifier to allow no more than 100 consecutive failed attempts on one account,
 * so {@code maxConsecutiveFailures} above {@value #MAX_CONSECUTIVE_FAILURES_CAP} is refused rather than trusted to
 * configuration. Without that cap, the timed lock alone would still allow about 480 guesses a day at the defaults.
 *
 * @param maxFailures            1 to {@code maxConsecutiveFailures}
 * @param window                 positive
 * @param lockout                positive
 * @param maxConsecutiveFailures 1 to {@value #MAX_CONSECUTIVE_FAILURES_CAP}
 */
public record RegulationSettings(int maxFailures, Duration window, Duration lockout, int maxConsecutiveFailures) {

    /** NIST SP 800-63B §5.2.2: "no more than 100 consecutive failed authentication attempts on a single account". */
    public static final int MAX_CONSECUTIVE_FAILURES_CAP = LockoutConfig.MAX_CONSECUTIVE_FAILURES_CAP;

    public RegulationSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(lockout, "lockout");
        if (maxConsecutiveFailures < 1 || maxConsecutiveFailures > MAX_CONSECUTIVE_FAILURES_CAP) {
            throw new IllegalArgumentException("RegulationSettings: maxConsecutiveFailures must be 1 to "
                    + MAX_CONSECUTIVE_FAILURES_CAP + " (NIST SP 800-63B) but is " + maxConsecutiveFailures);
        }
        if (maxFailures < 1 || maxFailures > maxConsecutiveFailures) {
            throw new IllegalArgumentException("RegulationSettings: maxFailures must be 1 to maxConsecutiveFailures ("
                    + maxConsecutiveFailures + ") but is " + maxFailures);
        }
        FailureLimit.rejectNotPositive(window, "window");
        FailureLimit.rejectNotPositive(lockout, "lockout");
    }

    /** 5 failures in 5 minutes lock the account for 15 minutes; 100 consecutive failures lock it until unlocked. */
    public static RegulationSettings defaults() {
        return of(LockoutConfig.defaults());
    }

    /** The per-account settings the config's {@code lockout} section gives. */
    public static RegulationSettings of(LockoutConfig config) {
        return new RegulationSettings(config.maxFailures(), config.window(), config.lockFor(),
                config.maxConsecutiveFailures());
    }

    /** The timed part, as the store applies it. */
    public FailureLimit limit() {
        return new FailureLimit(maxFailures, window, lockout);
    }
}
