package org.portcullis.webauthn;

/** How strongly user verification (PIN, biometric) is demanded (W3C WebAuthn §5.8.6). */
public enum UserVerification {
    /** Ask for it, accept its absence: the key's presence is the second factor. Default. */
    PREFERRED("preferred"),
    /** Refuse any assertion or attestation without the UV flag. */
    REQUIRED("required"),
    /**
     * Do not ask for it (a touch is enough), for shared-workstation keys without a PIN. The UV flag is not checked;
     * a browser may still verify the user.
     */
    DISCOURAGED("discouraged");

    private final String wireValue;

    UserVerification(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value of {@code userVerification} in the creation and request options. */
    public String wireValue() {
        return wireValue;
    }
}
