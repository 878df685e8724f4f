package org.portcullis.policy;

import java.util.EnumSet;
import java.util.Set;
import org.portcullis.config.SecondFactor;

/**
 * A factor a session has completed. {@link #PASSWORD} is the first factor; the others are second factors.
 *
 * <p>A recovery code stands in for a lost second factor of any kind, so it satisfies only a rule that accepts every
 * kind of second factor (the default). A rule that names its factors (for example {@code factors: [webauthn]} for a
 * phishing-resistant security key) asks for exactly those, and a recovery code would be a downgrade.
 */
public enum AuthFactor {
    PASSWORD,
    TOTP,
    WEBAUTHN,
    RECOVERY_CODE;

    private static final Set<SecondFactor> ALL_SECOND_FACTORS = EnumSet.allOf(SecondFactor.class);

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
