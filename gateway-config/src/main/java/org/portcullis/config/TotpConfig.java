package org.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code totp}: the parameters of new authenticator-app enrolments and the verification window (RFC 6238,
 * docs/totp.md). Every enrolment stores its own algorithm, digits and period, so changing them here affects only
 * authenticators enrolled afterwards; the window is the gateway's tolerance for clock drift and applies to every
 * authenticator at once.
 *
 * @param algorithm the HMAC of RFC 6238 §1.2; SHA-1 by default, which every common app supports (TOTP relies on
 *                  HMAC, not on SHA-1's collision resistance)
 * @param digits    {@value #DEFAULT_DIGITS} or {@value #LONG_DIGITS}
 * @param period    the time step X of RFC 6238 §4.1, whole seconds from {@link #MIN_PERIOD} to {@link #MAX_PERIOD}
 * @param window    steps accepted either side of the current one, 0 or {@value #MAX_WINDOW} (RFC 6238 §5.2
 *                  recommends at most one)
 */
public record TotpConfig(Algorithm algorithm, int digits, Duration period, int window) {

    public static final int DEFAULT_DIGITS = 6;
    public static final int LONG_DIGITS = 8;
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);
    public static final Duration MIN_PERIOD = Duration.ofSeconds(15);
    public static final Duration MAX_PERIOD = Duration.ofSeconds(120);
    public static final int DEFAULT_WINDOW = 1;
    public static final int MAX_WINDOW = 1;

    /** The HMAC algorithms of RFC 6238 §1.2, named as in the Key Uri Format's {@code algorithm=} parameter. */
    public enum Algorithm {
        SHA1, SHA256, SHA512
    }

    public TotpConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(period, "period");
        if (digits != DEFAULT_DIGITS && digits != LONG_DIGITS) {
            throw new IllegalArgumentException("TotpConfig: digits must be 6 or 8 but is " + digits);
        }
        if (!wholeSecondsInRange(period)) {
            throw new IllegalArgumentException("TotpConfig: period must be whole seconds from 15s to 120s but is "
                    + period);
        }
        if (window < 0 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("TotpConfig: window must be 0 or 1 but is " + window);
        }
    }

    /** SHA-1, 6 digits, 30 s, ±1 step: what Microsoft/Google Authenticator, FreeOTP and Aegis expect. */
    public static TotpConfig defaults() {
        return new TotpConfig(Algorithm.SHA1, DEFAULT_DIGITS, DEFAULT_PERIOD, DEFAULT_WINDOW);
    }

    static boolean wholeSecondsInRange(Duration period) {
        return period.toNanosPart() == 0 && period.compareTo(MIN_PERIOD) >= 0 && period.compareTo(MAX_PERIOD) <= 0;
    }
}
