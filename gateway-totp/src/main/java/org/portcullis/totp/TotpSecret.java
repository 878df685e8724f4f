package org.portcullis.totp;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret K of RFC 4226/6238. Immutable; {@link #toString()} is redacted so a secret never reaches a log by
 * accident.
 */
public final class TotpSecret {

    /** RFC 4226 §4 R6: the shared secret must be at least 128 bits. */
    public static final int MIN_BYTES = 16;

    private final byte[] bytes;

    private TotpSecret(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("secret must be at least " + MIN_BYTES + " bytes, was " + bytes.length);
        }
        this.bytes = bytes;
    }

    /** A fresh secret of {@link TotpAlgorithm#secretBytes()} bytes (160 bits for SHA-1). */
    public static TotpSecret generate(SecureRandom random, TotpAlgorithm algorithm) {
        byte[] bytes = new byte[algorithm.secretBytes()];
        random.nextBytes(bytes);
        return new TotpSecret(bytes);
    }

    /** Wraps stored bytes (copied). */
    public static TotpSecret of(byte[] bytes) {
        return new TotpSecret(bytes.clone());
    }

    /** Decodes a strict RFC 4648 Base32 secret. */
    public static TotpSecret fromBase32(String base32) {
        return new TotpSecret(Base32.decode(base32));
    }

    /** A copy of the raw bytes, for storage. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Unpadded Base32, as used in the {@code otpauth://} URI and the manual key. */
    public String base32() {
        return Base32.encodeUnpadded(bytes);
    }

    /** Number of secret bytes. */
    public int length() {
        return bytes.length;
    }

    SecretKeySpec key(TotpAlgorithm algorithm) {
        return new SecretKeySpec(bytes, algorithm.jcaName());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TotpSecret that && MessageDigest.isEqual(bytes, that.bytes);
    }

    /** Deliberately derived from the length only, so hash-based collections cannot leak anything of the secret. */
    @Override
    public int hashCode() {
        return Objects.hash(bytes.length);
    }

    @Override
    public String toString() {
        return "TotpSecret[" + bytes.length * Byte.SIZE + " bits, ██]";
    }
}
