package org.portcullis.webauthn;

/** Which attestation the relying party asks for (W3C WebAuthn §5.4.7). */
public enum AttestationConveyance {
    /** Do not ask; the attestation statement is ignored. Default: it avoids a privacy prompt and needs no trust store. */
    NONE("none"),
    /** Ask for the authenticator's attestation, verify it and check the AAGUID against an allow-list. */
    DIRECT("direct");

    private final String wireValue;

    AttestationConveyance(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value of {@code PublicKeyCredentialCreationOptions.attestation}. */
    public String wireValue() {
        return wireValue;
    }
}
