package org.portcullis.config;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The one reading of {@code storage.encryption_key} text, shared by the config validator (which checks the format
 * with the key's line) and the gateway's {@code EncryptionKey} (which uses the bytes): 64 hex digits, or base64
 * (URL-safe when it contains {@code -} or {@code _}, padding optional). Never reports what the text contained.
 */
public final class EncryptionKeyText {
    /** AES-256. */
    public static final int KEY_BYTES = 32;
    public static final int HEX_LENGTH = KEY_BYTES * 2;

    private EncryptionKeyText() {
    }

    /** The decoded bytes of already stripped text, or null when it is neither hex nor base64. */
    public static byte[] decode(String text) {
        if (text.length() == HEX_LENGTH && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(text);
        }
        try {
            if (text.indexOf('-') >= 0 || text.indexOf('_') >= 0) {
                return Base64.getUrlDecoder().decode(text);
            }
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null; // the exception's message may quote a character of the key; callers report their own
        }
    }
}
