package org.portcullis.totp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Objects;

/**
 * Checks a submitted code against an enrolment (RFC 6238 §5.2).
 *
 * <ul>
 *   <li>The input must be exactly {@link TotpParameters#digits()} ASCII digits: no spaces, no signs, no Unicode
 *       digits such as Arabic-Indic or fullwidth ones, which {@link Character#isDigit} would let through.</li>
 *   <li>Only the current step and at most {@link TotpParameters#window()} steps either side are tried.</li>
 *   <li>Every candidate is compared in constant time, and all candidates are computed, so timing does not reveal
 *       which step matched or how many characters were right.</li>
 *   <li>The matching step must be greater than the last step used; otherwise the result is {@code REPLAY}.</li>
 * </ul>
 *
 * <p>{@link #verify} alone is not enough against parallel replays: callers consume the step with
 * {@link #verifyOnce}, which ends in the ledger's atomic compare-and-set.
 */
public final class TotpVerifier {

    private final Clock clock;

    public TotpVerifier(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies {@code submitted} given the last step already used for this credential ({@link Long#MIN_VALUE} when
     * none).
     */
    public Verification verify(TotpSecret secret, TotpParameters parameters, String submitted, long lastUsedStep) {
        if (isMalformed(submitted, parameters.digits())) {
            return new Verification.Rejected(Verification.Reason.MALFORMED);
        }
        byte[] given = submitted.getBytes(StandardCharsets.US_ASCII);
        long current = TotpGenerator.stepOf(clock.instant(), parameters);
        long newestFresh = Long.MIN_VALUE;
        boolean matchedUsed = false;
        for (long step = current - parameters.window(); step <= current + parameters.window(); step++) {
            byte[] expected = TotpGenerator.codeAtStep(secret, parameters, step).getBytes(StandardCharsets.US_ASCII);
            boolean match = MessageDigest.isEqual(expected, given);
            if (match && step > lastUsedStep) {
                newestFresh = step;
            } else if (match) {
                matchedUsed = true;
            }
        }
        if (newestFresh != Long.MIN_VALUE) {
            return new Verification.Accepted(newestFresh);
        }
        return new Verification.Rejected(matchedUsed ? Verification.Reason.REPLAY : Verification.Reason.WRONG_CODE);
    }

    /**
     * Verifies and atomically consumes the step in {@code ledger}: of several submissions of one valid code, exactly
     * one is {@link Verification.Accepted}; the others are {@code REPLAY}.
     */
    public Verification verifyOnce(TotpSecret secret, TotpParameters parameters, String submitted,
            StepLedger ledger, String user, String credentialId) {
        Verification result = verify(secret, parameters, submitted, Long.MIN_VALUE);
        if (result instanceof Verification.Accepted accepted
                && !ledger.tryAdvance(user, credentialId, accepted.step())) {
            return new Verification.Rejected(Verification.Reason.REPLAY);
        }
        return result;
    }

    /** Exactly {@code digits} characters, each in ASCII '0'..'9'. */
    static boolean isMalformed(String submitted, int digits) {
        if (submitted == null || submitted.length() != digits) {
            return true;
        }
        for (int i = 0; i < submitted.length(); i++) {
            char c = submitted.charAt(i);
            if (c < '0' || c > '9') {
                return true;
            }
        }
        return false;
    }
}
