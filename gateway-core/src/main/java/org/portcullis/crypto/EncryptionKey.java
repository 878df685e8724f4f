package org.portcullis.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.portcullis.config.EncryptionKeyText;

/**
 * The 256-bit {@code storage.encryption_key} that encrypts secrets at rest (AES-256-GCM, {@link SecretBox}).
 *
 * <p>Written as 32 random bytes in base64 (standard or URL-safe alphabet, padding optional) or as 64 hex digits.
 * Anything else is refused with a message that says what was expected and how long the input was, never what it
 * contained: the value usually comes from {@code ${env:…}} or {@code ${file:…}} and must not end up in a log.
 *
 * <p>{@link #id()} is the first 8 hex digits of SHA-256 of the key. It is stored in every envelope so a store
 * encrypted under another key is reported as "encrypted under key X, configured key is Y" instead of as damaged or
 * missing data. 32 bits of a hash of a 256-bit random key reveal nothing useful about the key.
 *
 * <p>{@link #toString()} shows the id only.
 */
public final class EncryptionKey {

    /** AES-256. */
    public static final int KEY_BYTES = EncryptionKeyText.KEY_BYTES;
    static final int ID_HEX_DIGITS = 8;
    private static final int HEX_LENGTH = EncryptionKeyText.HEX_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final String id;

    private EncryptionKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("encryption key must be " + KEY_BYTES + " bytes but is " + key.length);
        }
        this.key = key.clone();
        this.id = idOf(this.key);
    }

    /** A new random key (the demo's, or the target of a rotation). */
    public static EncryptionKey generate() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return new EncryptionKey(bytes);
    }

    /** The key from its base64 or hex text (surrounding white space ignored); the message never contains it. */
    public static EncryptionKey parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("encryption key is empty; expected " + KEY_BYTES
                    + " random bytes as base64 or " + HEX_LENGTH + " hex digits");
        }
        byte[] bytes = EncryptionKeyText.decode(trimmed);
        if (bytes == null || bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("encryption key is not " + KEY_BYTES + " bytes in base64 or "
                    + HEX_LENGTH + " hex digits (got " + trimmed.length() + " characters"
                    + (bytes == null ? ", not valid base64 or hex" : " decoding to " + bytes.length + " bytes")
                    + "); generate one with: head -c 32 /dev/urandom | base64");
        }
        try {
            return new EncryptionKey(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** First {@value #ID_HEX_DIGITS} hex digits of SHA-256 of the key. */
    public String id() {
        return id;
    }

    /** The key as standard base64, for the demo to write into its generated config; never log it. */
    public String revealBase64() {
        return Base64.getEncoder().encodeToString(key);
    }

    SecretKeySpec secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    /** Whether both are the same key (constant time). */
    public boolean sameKeyAs(EncryptionKey other) {
        return MessageDigest.isEqual(key, other.key);
    }

    @Override
    public String toString() {
        return "EncryptionKey[id=" + id + "]";
    }

    private static String idOf(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest).substring(0, ID_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
