package org.portcullis.upstream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.portcullis.policy.AuthFactor;

/**
 * The {@code amr} (authentication methods references) claim, RFC 8176. Values come from the IANA "Authentication
 * Method Reference Values" registry (RFC 8176 §2) except one:
 * <ul>
 *   <li>{@link AuthFactor#PASSWORD} → {@code pwd} ("password-based authentication").</li>
 *   <li>{@link AuthFactor#TOTP} → {@code otp} ("one-time password", RFC 8176 names RFC 6238 TOTP).</li>
 *   <li>{@link AuthFactor#WEBAUTHN} → {@code pop} ("proof-of-possession of a key", where it is unspecified whether the
 *       key is hardware or software secured). Not {@code hwk}: without attestation the gateway cannot know that a
 *       passkey lives in hardware (synced passkeys do not), and an upstream must not be told more than is known.</li>
 *   <li>{@link AuthFactor#RECOVERY_CODE} → {@code rec}: Portcullis' own value, <b>not</b> in the registry (RFC 8176
 *       has no value for a single-use recovery code, a NIST SP 800-63B look-up secret). {@code otp} would hide from
 *       the upstream that the user signed in without their usual second factor.</li>
 *   <li>{@code mfa} ("multiple-factor authentication") is added when the password and at least one second factor
 *       were used.</li>
 * </ul>
 * The order is fixed (the enum's, then {@code mfa}), so the same session always yields the same claim.
 */
final class AuthMethods {
    static final String PASSWORD = "pwd";
    static final String ONE_TIME_PASSWORD = "otp";
    static final String PROOF_OF_POSSESSION = "pop";
    static final String RECOVERY_CODE = "rec";
    static final String MULTIPLE_FACTORS = "mfa";

    private AuthMethods() {
    }

    static List<String> of(Collection<AuthFactor> factors) {
        Set<AuthFactor> used = factors.isEmpty() ? EnumSet.noneOf(AuthFactor.class) : EnumSet.copyOf(factors);
        List<String> amr = new ArrayList<>(used.size() + 1);
        for (AuthFactor factor : used) {
            amr.add(value(factor));
        }
        if (used.contains(AuthFactor.PASSWORD) && used.size() > 1) {
            amr.add(MULTIPLE_FACTORS);
        }
        return List.copyOf(amr);
    }

    private static String value(AuthFactor factor) {
        switch (factor) {
            case PASSWORD:
                return PASSWORD;
            case TOTP:
                return ONE_TIME_PASSWORD;
            case WEBAUTHN:
                return PROOF_OF_POSSESSION;
            case RECOVERY_CODE:
                return RECOVERY_CODE;
            default:
                throw new IllegalStateException("AuthMethods: no amr value for " + factor);
        }
    }
}
