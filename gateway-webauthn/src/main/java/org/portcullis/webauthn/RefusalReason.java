package org.portcullis.webauthn;

/** Why a ceremony was refused. Safe to audit; never shown to the user in more detail than "failed". */
public enum RefusalReason {
    /** clientDataJSON, attestationObject or authenticatorData could not be parsed. */
    MALFORMED,
    /** No outstanding challenge for this session and purpose, a different one, a replayed one or an expired one. */
    CHALLENGE_INVALID,
    /** clientData.type is not webauthn.create / webauthn.get. */
    WRONG_TYPE,
    /** clientData.origin is not one of the allowed origins, or the ceremony ran cross-origin. */
    WRONG_ORIGIN,
    /** rpIdHash in the authenticator data is not SHA-256 of the RP ID. */
    WRONG_RP_ID,
    /** The UP flag was not set. */
    USER_NOT_PRESENT,
    /** The UV flag was not set although the policy requires user verification. */
    USER_NOT_VERIFIED,
    /** The assertion or attestation signature does not verify. */
    BAD_SIGNATURE,
    /** The credential uses an algorithm the relying party did not offer. */
    ALGORITHM_NOT_ALLOWED,
    /** The attestation statement is invalid, untrusted, or of a model outside the AAGUID allow-list. */
    ATTESTATION_REJECTED,
    /** The credential id is already registered (to this or another user). */
    CREDENTIAL_ID_IN_USE,
    /** No credential with this id is registered. */
    UNKNOWN_CREDENTIAL,
    /** The credential belongs to another user, or the user handle does not match its owner. */
    NOT_USERS_CREDENTIAL,
    /** The credential was disabled (clone signal or admin). */
    CREDENTIAL_DISABLED,
    /** Any other verification failure: refused because the code fails closed. */
    VERIFICATION_FAILED
}
