package org.portcullis.crypto;

import java.util.Objects;

/**
 * An envelope that {@link SecretBox} will not open. Callers fail closed: a secret that cannot be opened is an error
 * that stops the operation (or the gateway at start-up), never a secret that is "missing" and may be enrolled anew.
 * The message names key ids and the reason, never the envelope or the plaintext.
 */
public final class SecretBoxException extends RuntimeException {

    /** Why the envelope was refused. */
    public enum Reason {
        /** Not a {@code v1:<key-id>:<data>} envelope of a plausible length. */
        MALFORMED,
        /** Sealed under another key; {@link #storedKeyId()} says which. */
        WRONG_KEY,
        /** Right key id, but the tag does not verify: ciphertext, tag or context (AAD) were changed or swapped. */
        NOT_AUTHENTIC
    }

    private final Reason reason;
    private final String storedKeyId;

    SecretBoxException(Reason reason, String storedKeyId, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.storedKeyId = storedKeyId;
    }

    public Reason reason() {
        return reason;
    }

    /** The key id written in the envelope, or {@code null} when it is {@link Reason#MALFORMED}. */
    public String storedKeyId() {
        return storedKeyId;
    }
}
