package org.portcullis.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The secret the browser holds: 256 random bits from {@link SecureRandom}, written as base64url without padding
 * ({@value #LENGTH} characters, RFC 4648 §5). It is a bearer credential, so it never appears in a log, an exception or
 * the store: {@link #toString()} is redacted and the store is keyed by {@link #hash()} only.
 *
 * <p>{@link #parse} is the only way from cookie text to an id. It accepts exactly the canonical encoding (length,
 * alphabet, and a last character whose unused low bits are zero, so no two strings name one id) and answers junk with
 * an empty result, never an exception.
 */
public final class SessionId {

    static final int BYTES = 32;
    public static final int LENGTH = 43;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final MessageDigest SHA256_PROTOTYPE = sha256Prototype();

    private final String value;
    private final byte[] bits;

    private SessionId(String value, byte[] bits) {
        this.value = value;
        this.bits = bits;
    }

    /** A fresh id. */
    public static SessionId generate(SecureRandom random) {
        byte[] bits = new byte[BYTES];
        Objects.requireNonNull(random, "random").nextBytes(bits);
        return new SessionId(ENCODER.encodeToString(bits), bits);
    }

    /** The id written as {@code text}, or empty for anything that is not exactly a canonical id. */
    public static Optional<SessionId> parse(String text) {
        if (text == null || text.length() != LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < LENGTH; i++) {
            if (!isBase64Url(text.charAt(i))) {
                return Optional.empty();
            }
        }
        byte[] bits;
        try {
            bits = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bits.length != BYTES || !ENCODER.encodeToString(bits).equals(text)) {
            return Optional.empty();
        }
        return Optional.of(new SessionId(text, bits));
    }

    /** The cookie value. The only accessor of the secret: call it to write {@code Set-Cookie} and nowhere else. */
    public String cookieValue() {
        return value;
    }

    /** SHA-256 of the id's 32 bytes: the store's key. */
    public SessionIdHash hash() {
        return new SessionIdHash(sha256(bits));
    }

    static byte[] sha256(byte[]... parts) {
        MessageDigest digest = newSha256();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    /**
     * A fresh SHA-256 digest, cloned from one made at class load: every signed-in request hashes its cookie, and
     * {@code MessageDigest.getInstance} looks the provider up each time.
     */
    private static MessageDigest newSha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256Prototype(); // a provider whose digest cannot be cloned: a fresh one each time
        }
    }

    private static MessageDigest sha256Prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SessionId: the JVM has no SHA-256", e);
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionId that && MessageDigest.isEqual(bits, that.bits);
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return "SessionId[redacted]";
    }
}
