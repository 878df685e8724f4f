package org.portcullis.totp;

import java.util.Objects;

/**
 * The parameters of one TOTP enrolment, stored with it so that changing the defaults later never breaks an existing
 * authenticator.
 *
 * @param algorithm HMAC algorithm (RFC 6238 §1.2)
 * @param digits 6 or 8 (RFC 4226 §5.3 allows 6 to 8; apps support 6 and 8)
 * @param periodSeconds time step X of RFC 6238 §4.1, 15 to 120 seconds
 * @param window accepted steps either side of the current one, 0 or 1 (RFC 6238 §5.2 recommends at most one)
 */
public record TotpParameters(TotpAlgorithm algorithm, int digits, int periodSeconds, int window) {

    public static final int DEFAULT_DIGITS = 6;
    public static final int LONG_DIGITS = 8;
    public static final int DEFAULT_PERIOD_SECONDS = 30;
    public static final int MIN_PERIOD_SECONDS = 15;
    public static final int MAX_PERIOD_SECONDS = 120;
    public static final int DEFAULT_WINDOW = 1;
    public static final int MAX_WINDOW = 1;

    public TotpParameters {
        Objects.requireNonNull(algorithm, "algorithm");
        rejectDigits(digits);
        rejectPeriod(periodSeconds);
        rejectWindow(window);
    }

    /** SHA-1, 6 digits, 30 s, ±1 step: what Microsoft/Google Authenticator, FreeOTP and Aegis expect. */
    public static TotpParameters defaults() {
        return new TotpParameters(TotpAlgorithm.SHA1, DEFAULT_DIGITS, DEFAULT_PERIOD_SECONDS, DEFAULT_WINDOW);
    }

    private static void rejectDigits(int digits) {
        if (digits != DEFAULT_DIGITS && digits != LONG_DIGITS) {
            throw new IllegalArgumentException("digits must be 6 or 8, was " + digits);
        }
    }

    private static void rejectPeriod(int periodSeconds) {
        if (periodSeconds < MIN_PERIOD_SECONDS || periodSeconds > MAX_PERIOD_SECONDS) {
            throw new IllegalArgumentException(
                    "periodSeconds must be within " + MIN_PERIOD_SECONDS + ".." + MAX_PERIOD_SECONDS
                            + ", was " + periodSeconds);
        }
    }

    private static void rejectWindow(int window) {
        if (window < 0 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be within 0.." + MAX_WINDOW + ", was " + window);
        }
    }
}
