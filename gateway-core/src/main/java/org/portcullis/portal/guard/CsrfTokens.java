package org.portcullis.portal.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Random CSRF tokens and their comparison (SECURITY-RULES 17). A token is {@value #BYTES} bytes from
 * {@link SecureRandom}, base64url without padding ({@value #LENGTH} characters, RFC 4648 §5), so it fits a form field,
 * a cookie value and a session attribute without escaping.
 *
 * <p>{@link #matches} compares in time independent of where two tokens differ ({@link MessageDigest#isEqual}), so an
 * attacker who can time responses learns nothing about the expected token byte by byte. It answers {@code false} for
 * anything that is not a well-formed token, on either side: an empty expected token must never match an empty
 * presented one.
 */
public final class CsrfTokens {

    public static final int BYTES = 32;
    public static final int LENGTH = 43;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    public CsrfTokens(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A fresh token. */
    public String newToken() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return encode(bytes);
    }

    /** True only when both are well-formed tokens and equal; constant time in their content. */
    public static boolean matches(String expected, String presented) {
        if (!isWellFormed(expected) || !isWellFormed(presented)) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** Exactly {@value #LENGTH} base64url characters. */
    public static boolean isWellFormed(String token) {
        if (token == null || token.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = token.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        return true;
    }

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }
}
