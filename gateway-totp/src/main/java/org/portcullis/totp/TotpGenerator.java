package org.portcullis.totp;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Computes RFC 6238 codes with {@code com.eatthepath:java-otp}.
 *
 * <p>A new java-otp generator is made per call because it holds a {@code Mac} and is not documented as thread-safe.
 * The code is formatted with {@link Locale#ROOT} so that it is always ASCII digits, whatever the JVM's locale.
 */
public final class TotpGenerator {

    private TotpGenerator() {
    }

    /** The time step T of RFC 6238 §4.2 that contains {@code instant}. */
    public static long stepOf(Instant instant, TotpParameters parameters) {
        return Math.floorDiv(instant.getEpochSecond(), parameters.periodSeconds());
    }

    /** The code valid during time step {@code step}. */
    public static String codeAtStep(TotpSecret secret, TotpParameters parameters, long step) {
        return codeAt(secret, parameters, Instant.ofEpochSecond(step * parameters.periodSeconds()));
    }

    /** The code valid at {@code instant}. */
    public static String codeAt(TotpSecret secret, TotpParameters parameters, Instant instant) {
        TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(
                Duration.ofSeconds(parameters.periodSeconds()), parameters.digits(),
                parameters.algorithm().jcaName());
        try {
            return generator.generateOneTimePasswordString(
                    secret.key(parameters.algorithm()), instant, Locale.ROOT);
        } catch (InvalidKeyException e) {
            // A SecretKeySpec with raw bytes is always a valid HMAC key; reaching this is a programming error.
            throw new IllegalStateException("HMAC key rejected", e);
        }
    }
}
