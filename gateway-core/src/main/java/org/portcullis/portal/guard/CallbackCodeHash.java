package org.portcullis.portal.guard;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The key under which a {@link CallbackCodeStore} keeps a pending callback: SHA-256 of the code, never the code. A
 * store dump, a cluster store's traffic or a heap dump then holds nothing that could be replayed at a callback.
 */
public final class CallbackCodeHash {

    static final int BYTES = 32;

    private final byte[] bytes;

    private CallbackCodeHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A hash read back from a store. */
    public static CallbackCodeHash of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("CallbackCodeHash: " + BYTES + " bytes expected");
        }
        return new CallbackCodeHash(bytes.clone());
    }

    /** A copy of the 32 bytes, for a store's key. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CallbackCodeHash that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CallbackCodeHash[redacted]";
    }
}
