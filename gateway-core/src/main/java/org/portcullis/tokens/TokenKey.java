package org.portcullis.tokens;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name a {@link TokenStore} keeps one token's entry under: the kind of token ({@code rdp-token},
 * {@code connect-code}, …) and the hex SHA-256 {@link HashedTokens} derives from the token, never the token.
 */
public record TokenKey(String kind, String hash) {
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    public TokenKey {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("TokenKey: a kind is lower-case letters, digits and '-'");
        }
        if (hash == null || !HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("TokenKey: the hash is 64 lower-case hex digits");
        }
    }

    /** True for a valid {@link #kind()}. */
    static boolean validKind(String kind) {
        return kind != null && KIND.matcher(kind).matches();
    }

    @Override
    public String toString() {
        return "TokenKey[" + kind + ", " + Objects.requireNonNull(hash).substring(0, 8) + "…]";
    }
}
