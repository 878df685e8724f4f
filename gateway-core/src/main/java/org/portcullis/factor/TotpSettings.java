package org.portcullis.factor;

import org.portcullis.config.TotpConfig;
import org.portcullis.totp.TotpAlgorithm;
import org.portcullis.totp.TotpParameters;

/**
 * Turns the {@code totp} config section into the parameters of {@code gateway-totp} (which knows nothing of config).
 *
 * <p>Two rules (docs/totp.md): a new enrolment takes algorithm, digits and period from the config and keeps them for
 * good (they are in its QR code; changing the config later must not break an app in use). The window is the gateway's
 * tolerance for clock drift, a policy rather than a property of the app, so the configured one applies to every
 * authenticator at verification, whatever was configured when it was enrolled: an admin who narrows it to 0 narrows
 * it for everybody at once.
 */
public final class TotpSettings {
    private TotpSettings() {
    }

    /** The parameters a new authenticator is enrolled with under {@code config}. */
    public static TotpParameters forNewEnrolment(TotpConfig config) {
        return new TotpParameters(TotpAlgorithm.valueOf(config.algorithm().name()), config.digits(),
                Math.toIntExact(config.period().toSeconds()), config.window());
    }

    /** {@code stored} (the authenticator's own algorithm, digits, period) with the configured window. */
    public static TotpParameters forVerification(TotpParameters stored, TotpConfig config) {
        return new TotpParameters(stored.algorithm(), stored.digits(), stored.periodSeconds(), config.window());
    }
}
