package org.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code lockout}: when repeated sign-in failures lock an account or a client address (SECURITY-RULES 13, 18).
 *
 * <p>Per account, {@code maxFailures} failures within {@code window} lock it for {@code lockFor}; independently, an
 * account is locked after {@code maxConsecutiveFailures} failures without a success in between, however slowly they
 * come. NIST SP 800-63B §5.2.2 asks for no more than 100 consecutive failed attempts, so that cap is
 * {@value #MAX_CONSECUTIVE_FAILURES_CAP}. Per address the limit is higher because many honest users share one address
 * (a hospital behind NAT); it slows one source spraying guesses across many accounts.
 */
public record LockoutConfig(
        int maxFailures,
        Duration window,
        Duration lockFor,
        int maxConsecutiveFailures,
        int addressMaxFailures,
        Duration addressWindow,
        Duration addressLockFor) {

    /** NIST SP 800-63B §5.2.2: at most 100 consecutive failed attempts on one account. */
    public static final int MAX_CONSECUTIVE_FAILURES_CAP = 100;
    /** The failure store keeps at most this many failure times per address. */
    public static final int MAX_ADDRESS_FAILURES_CAP = 1_000;

    public LockoutConfig {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(lockFor, "lockFor");
        Objects.requireNonNull(addressWindow, "addressWindow");
        Objects.requireNonNull(addressLockFor, "addressLockFor");
        if (maxConsecutiveFailures < 1 || maxConsecutiveFailures > MAX_CONSECUTIVE_FAILURES_CAP) {
            throw new IllegalArgumentException("LockoutConfig: maxConsecutiveFailures must be 1 to "
                    + MAX_CONSECUTIVE_FAILURES_CAP + " but is " + maxConsecutiveFailures);
        }
        if (maxFailures < 1 || maxFailures > maxConsecutiveFailures) {
            throw new IllegalArgumentException("LockoutConfig: maxFailures must be 1 to maxConsecutiveFailures ("
                    + maxConsecutiveFailures + ") but is " + maxFailures);
        }
        if (addressMaxFailures < 1 || addressMaxFailures > MAX_ADDRESS_FAILURES_CAP) {
            throw new IllegalArgumentException("LockoutConfig: addressMaxFailures must be 1 to "
                    + MAX_ADDRESS_FAILURES_CAP + " but is " + addressMaxFailures);
        }
    }

    /** Account 5 in 5 minutes → 15 minutes, 100 consecutive; address 20 in 5 minutes → 15 minutes. */
    public static LockoutConfig defaults() {
        return new LockoutConfig(5, Duration.ofMinutes(5), Duration.ofMinutes(15), MAX_CONSECUTIVE_FAILURES_CAP,
                20, Duration.ofMinutes(5), Duration.ofMinutes(15));
    }
}
