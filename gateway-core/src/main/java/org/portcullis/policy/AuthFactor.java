package org.portcullis.policy;

import java.util.EnumSet;
import java.util.Set;
import org.portcullis.config.SecondFactor;

/**
 * A factor a session has completed. {@link #PASSWORD} or {@link #PASSKEY} is the first factor; the others are second
 * factors.
 *
 * <p>{@link #PASSKEY} is a sign-in with a discoverable WebAuthn credential and no password ({@code
 * webauthn.passwordless}). It is possession of the key, one factor. When the authenticator also verified the user (a
 * PIN or biometric, the UV flag) the same sign-in adds {@link #WEBAUTHN} as the second factor; without UV the session
 * has one factor and the passkey itself is never accepted again as its second factor.
 *
 * <p>A recovery code stands in for a lost second factor of any kind, so it satisfies only a rule that accepts every
 * kind of second factor (the default). A rule that names its factors (for example {@code factors: [webauthn]} for a
 * phishing-resistant security key) asks for exactly those, and a recovery code would be a downgrade.
 */
public enum AuthFactor {
    PASSWORD,
    TOTP,
    WEBAUTHN,
    RECOVERY_CODE,
    PASSKEY;

    private static final Set<SecondFactor> ALL_SECOND_FACTORS = EnumSet.allOf(SecondFactor.class);

    /** True for the factors that start a session: the password, or a passkey without a password. */
    public boolean isFirstFactor() {
        return this == PASSWORD || this == PASSKEY;
    }

    /** True when completing this factor satisfies a two-factor rule that accepts {@code accepted}. */
    public boolean satisfies(Set<SecondFactor> accepted) {
        switch (this) {
            case TOTP:
                return accepted.contains(SecondFactor.TOTP);
            case WEBAUTHN:
                return accepted.contains(SecondFactor.WEBAUTHN);
            case RECOVERY_CODE:
                return accepted.containsAll(ALL_SECOND_FACTORS);
            default:
                return false;
        }
    }
}
