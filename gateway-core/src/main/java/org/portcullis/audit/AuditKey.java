package org.portcullis.audit;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.portcullis.config.EncryptionKeyText;

/**
 * The key of the audit chain's HMAC-SHA256 (RFC 2104, FIPS 180-4): 32 bytes, from {@code audit.key}, never the
 * storage key. Its {@link #id() id} (the first 8 hex digits of SHA-256 of the key, as for the storage key) is written
 * at the start of every audit file, so {@code audit verify} with another key says "wrong key" instead of "edited".
 * {@link #toString()} never shows the key.
 */
public final class AuditKey {
    static final String ALGORITHM = "HmacSHA256";
    private static final int ID_HEX_DIGITS = 8;

    private final SecretKeySpec key;
    private final String id;

    private AuditKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, ALGORITHM);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            this.id = HexFormat.of().formatHex(digest).substring(0, ID_HEX_DIGITS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AuditKey: SHA-256 is not available", e);
        }
    }

    /**
     * Reads key text as {@code audit.key} is written (64 hex digits or base64/base64url of 32 bytes).
     *
     * @throws IllegalArgumentException naming the rule, never the text
     */
    public static AuditKey fromText(String text) {
        Objects.requireNonNull(text, "text");
        byte[] bytes = EncryptionKeyText.decode(text.strip());
        if (bytes == null || bytes.length != EncryptionKeyText.KEY_BYTES) {
            throw new IllegalArgumentException("not a 32-byte key (allowed: 32 random bytes as base64, base64url or "
                    + "64 hex digits)");
        }
        AuditKey key = new AuditKey(bytes);
        Arrays.fill(bytes, (byte) 0);
        return key;
    }

    /** First 8 hex digits of SHA-256 of the key: names the key without revealing it. */
    public String id() {
        return id;
    }

    /** A new MAC under this key; one per thread (a {@link Mac} is not thread-safe). */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AuditKey: HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "AuditKey[id=" + id + "]";
    }
}
