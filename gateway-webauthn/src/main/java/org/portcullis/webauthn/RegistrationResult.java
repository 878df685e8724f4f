package org.portcullis.webauthn;

/** Outcome of {@link RegistrationCeremony#finish}. */
public sealed interface RegistrationResult {

    /** The credential passed every check and is stored. */
    record Registered(CredentialRecord record) implements RegistrationResult {
    }

    /** Nothing was stored. */
    record Refused(RefusalReason reason) implements RegistrationResult {
    }
}
