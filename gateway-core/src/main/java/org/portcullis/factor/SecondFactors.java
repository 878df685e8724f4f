package org.portcullis.factor;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.portcullis.crypto.SecretBox;
import org.portcullis.enrolment.InvitationCodes;
import org.portcullis.enrolment.RecoveryCodes;
import org.portcullis.storage.Database;
import org.portcullis.totp.StepLedger;
import org.portcullis.totp.TotpVerifier;

/**
 * Everything the portal needs to check and enrol second factors, on one store: the users' authenticators, the step
 * ledger, the verifier (with the gateway's clock), admin-issued invitation codes and recovery codes. Built once at
 * start with the sign-in services; every method of the parts blocks on the store.
 */
public final class SecondFactors {
    private final Database database;
    private final TotpCredentials totp;
    private final SqliteStepLedger ledger;
    private final TotpVerifier verifier;
    private final InvitationCodes invitations;
    private final RecoveryCodes recoveryCodes;
    private final WebAuthnCredentials webauthn;

    public SecondFactors(Database database, SecretBox box, Clock clock, SecureRandom random) {
        this.database = Objects.requireNonNull(database, "database");
        this.totp = new TotpCredentials(database, box, clock, random);
        this.ledger = new SqliteStepLedger(database, clock);
        this.verifier = new TotpVerifier(clock);
        this.invitations = new InvitationCodes(database);
        this.recoveryCodes = new RecoveryCodes(database);
        this.webauthn = new WebAuthnCredentials(database, random);
    }

    /** The users' security keys and passkeys. */
    public WebAuthnCredentials webauthn() {
        return webauthn;
    }

    /**
     * Whether {@code user} has a second factor of any kind: an active authenticator app, or a security key (even a
     * disabled one, which an admin may re-enable). Such a user owes a second factor after the password, and adds
     * another only with a fresh one (SECURITY-RULES 15).
     */
    public boolean hasSecondFactor(String user) {
        return totp.hasActive(user) || webauthn.hasAny(user);
    }

    public TotpCredentials totp() {
        return totp;
    }

    public StepLedger ledger() {
        return ledger;
    }

    public TotpVerifier verifier() {
        return verifier;
    }

    public InvitationCodes invitations() {
        return invitations;
    }

    public RecoveryCodes recoveryCodes() {
        return recoveryCodes;
    }

    /** Removes every second factor of {@code user} in one transaction ({@link FactorReset}). */
    public FactorReset.Removed removeAll(String user) {
        return FactorReset.removeAll(database, user);
    }
}
