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
 *   <li>{@link AuthFactor#PASSKEY} (a passwordless sign-in with a discoverable credential) → {@code pop} as well:
 *       it is possession of a key. When the authenticator verified the user, the session also holds {@link
 *       AuthFactor#WEBAUTHN}; the value is not repeated, and {@code mfa} says that a second factor (the device's PIN
 *       or biometric) was checked. {@code pin}, {@code fpt} or {@code face} are not claimed: the UV flag does not say
 *       which method the authenticator used, and {@code user} (RFC 8176: a user <i>presence</i> test) would say
 *       less than was proved. No {@code pwd}: no password was typed.</li>
 *   <li>{@code mfa} ("multiple-factor authentication") is added when a first factor (password or passkey) and at
 *       least one second factor were used.</li>
 * </ul>
 * The order is fixed (the enum's, each value once, then {@code mfa}), so the same session always yields the same
 * claim.
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
            String value = value(factor);
            if (!amr.contains(value)) {
                amr.add(value);
            }
        }
        if (used.stream().anyMatch(AuthFactor::isFirstFactor) && used.size() > 1) {
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
            case PASSKEY:
                return PROOF_OF_POSSESSION;
            case RECOVERY_CODE:
                return RECOVERY_CODE;
            default:
                throw new IllegalStateException("AuthMethods: no amr value for " + factor);
        }
    }
}
