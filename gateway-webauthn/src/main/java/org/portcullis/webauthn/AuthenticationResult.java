package org.portcullis.webauthn;

/** Outcome of {@link AuthenticationCeremony#finish}. */
public sealed interface AuthenticationResult {

    /** The assertion verified; {@code record} carries the new signature counter and last-use time, already stored. */
    record Authenticated(CredentialRecord record) implements AuthenticationResult {
    }

    /**
     * A discoverable credential verified ({@link AuthenticationCeremony#finishDiscoverable}); {@code userVerified} is
     * the authenticator data's UV flag (a PIN or biometric was checked on the device, W3C WebAuthn §6.1).
     */
    record Discovered(CredentialRecord record, boolean userVerified) implements AuthenticationResult {
    }

    /** The sign-in is refused. */
    record Refused(RefusalReason reason) implements AuthenticationResult {
    }

    /**
     * The signature verified but the counter did not move forward (W3C WebAuthn §6.1.1): a sign that the
     * authenticator's key was copied. The sign-in is refused; the caller audits this; {@code record} is the stored
     * state afterwards (disabled if {@link RelyingPartySettings#disableOnCloneSignal()}).
     */
    record CloneSuspected(CredentialRecord record) implements AuthenticationResult {
    }
}
