package org.portcullis.tokens;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One kind of bearer token (SECURITY-RULES 24), made, stored and checked the same way for every kind:
 * <ul>
 *   <li><b>Unguessable</b>: {@value #TOKEN_BYTES} bytes from {@link SecureRandom}, base64url without padding
 *       ({@value #TOKEN_LENGTH} characters); only that canonical form is read ({@link Outcome#MALFORMED} otherwise).</li>
 *   <li><b>Stored hashed</b>: the store's key is {@code SHA-256("portcullis token id" 0 kind 0 token-bytes)}, never the
 *       token.</li>
 *   <li><b>Grant sealed</b>: what the token grants (it may name a session, whose id is itself a bearer secret) is
 *       stored AES-256-GCM-sealed under {@code SHA-256("portcullis token seal" 0 kind 0 token-bytes)}, a key that exists
 *       only while someone presents the token. A store's contents, a Redis dump or its traffic reveal no token and no
 *       session; an entry copied to another key or kind no longer opens (the key and the kind are the associated
 *       data).</li>
 *   <li><b>Expiring</b>: the expiry is sealed with the grant and checked here by the injected {@link Clock}, from the
 *       instant of expiry on ({@link Outcome#EXPIRED}); the store drops the entry then or soon after.</li>
 *   <li><b>Single use</b> where the caller asks for it: {@link #take} uses a token up atomically, across nodes with a
 *       shared store; {@link #peek} reads one that works many times.</li>
 * </ul>
 * Thread-safe. Store failures propagate as exceptions: the caller refuses.
 */
public final class HashedTokens {
    public static final int TOKEN_BYTES = 32;
    public static final int TOKEN_LENGTH = 43;
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9_-]{" + TOKEN_LENGTH + "}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Bounds what a corrupt entry can make us decode; grants are a few hundred bytes. */
    private static final int MAX_VALUE_CHARS = 8192;

    /** How a presented token fared. */
    public enum Outcome {
        /** Good: {@link Redemption#grant()} is what it grants. */
        VALID,
        /** Not a canonical token at all. */
        MALFORMED,
        /** Never issued here (or in the shared store), or expired and gone. */
        UNKNOWN,
        /** Issued, but its lifetime is over (used up now if it was taken). */
        EXPIRED,
        /** Single use and already used. */
        SPENT
    }

    /** The outcome and, when {@link Outcome#VALID}, the grant's bytes and the token's expiry. */
    public record Redemption(Outcome outcome, byte[] grant, Instant expiresAt) {
        public Redemption {
            Objects.requireNonNull(outcome, "outcome");
            if ((outcome == Outcome.VALID) != (grant != null) || (grant == null) != (expiresAt == null)) {
                throw new IllegalArgumentException("Redemption: a grant and an expiry exactly when VALID");
            }
        }

        static Redemption refused(Outcome outcome) {
            return new Redemption(outcome, null, null);
        }
    }

    private final TokenStore store;
    private final String kind;
    private final byte[] kindBytes;
    private final Clock clock;
    private final SecureRandom random;

    /** @param kind this kind's name in the store's keys: lower-case letters, digits, '-' */
    public HashedTokens(TokenStore store, String kind, Clock clock, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        if (!TokenKey.validKind(kind)) {
            throw new IllegalArgumentException("HashedTokens: a kind is lower-case letters, digits and '-'");
        }
        this.kind = kind;
        this.kindBytes = kind.getBytes(StandardCharsets.US_ASCII);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new token granting {@code grant} until {@code expiresAt}; empty when the store is full. */
    public Optional<String> issue(byte[] grant, Instant expiresAt) {
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(expiresAt, "expiresAt");
        byte[] token = new byte[TOKEN_BYTES];
        random.nextBytes(token);
        TokenKey key = key(token);
        if (!store.put(key, seal(token, key, expiresAt, grant), expiresAt)) {
            return Optional.empty();
        }
        return Optional.of(ENCODER.encodeToString(token));
    }

    /** Uses {@code token} up (atomically, once for everyone) and says what it granted, if anything. */
    public Redemption take(String token) {
        Optional<byte[]> bytes = parse(token);
        if (bytes.isEmpty()) {
            return Redemption.refused(Outcome.MALFORMED);
        }
        TokenKey key = key(bytes.get());
        TokenStore.Taken taken = store.take(key);
        return switch (taken.state()) {
            case ABSENT -> Redemption.refused(Outcome.UNKNOWN);
            case SPENT -> Redemption.refused(Outcome.SPENT);
            case FRESH -> open(bytes.get(), key, taken.value());
        };
    }

    /** What {@code token} grants, leaving it in place (a token that works until it expires). */
    public Redemption peek(String token) {
        Optional<byte[]> bytes = parse(token);
        if (bytes.isEmpty()) {
            return Redemption.refused(Outcome.MALFORMED);
        }
        TokenKey key = key(bytes.get());
        Optional<String> value = store.peek(key);
        return value.isEmpty() ? Redemption.refused(Outcome.UNKNOWN) : open(bytes.get(), key, value.get());
    }

    /** True for text of a token's form (43 base64url characters), before any look-up. */
    public static boolean wellFormed(String token) {
        return parse(token).isPresent();
    }

    private static Optional<byte[]> parse(String token) {
        if (token == null || !SYNTAX.matcher(token).matches()) {
            return Optional.empty();
        }
        byte[] bytes = DECODER.decode(token);
        if (bytes.length != TOKEN_BYTES || !ENCODER.encodeToString(bytes).equals(token)) {
            return Optional.empty();
        }
        return Optional.of(bytes);
    }

    private TokenKey key(byte[] token) {
        return new TokenKey(kind, HexFormat.of().formatHex(derive("portcullis token id", token)));
    }

    private String seal(byte[] token, TokenKey key, Instant expiresAt, byte[] grant) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = ByteBuffer.allocate(Long.BYTES + grant.length).putLong(expiresAt.toEpochMilli()).put(grant)
                .array();
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, token, key, nonce, plain);
        return ENCODER.encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
    }

    /** Opens a value this class sealed for {@code token}; {@link IllegalStateException} for anything else. */
    private Redemption open(byte[] token, TokenKey key, String value) {
        if (value.length() > MAX_VALUE_CHARS) {
            throw new IllegalStateException("HashedTokens: oversized entry");
        }
        byte[] data;
        try {
            data = DECODER.decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("HashedTokens: unreadable entry", e);
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8 + Long.BYTES) {
            throw new IllegalStateException("HashedTokens: truncated entry");
        }
        byte[] nonce = java.util.Arrays.copyOf(data, NONCE_BYTES);
        byte[] plain = cipher(Cipher.DECRYPT_MODE, token, key, nonce,
                java.util.Arrays.copyOfRange(data, NONCE_BYTES, data.length));
        ByteBuffer buffer = ByteBuffer.wrap(plain);
        Instant expiresAt = Instant.ofEpochMilli(buffer.getLong());
        if (!clock.instant().isBefore(expiresAt)) {
            return Redemption.refused(Outcome.EXPIRED);
        }
        byte[] grant = new byte[buffer.remaining()];
        buffer.get(grant);
        return new Redemption(Outcome.VALID, grant, expiresAt);
    }

    private byte[] cipher(int mode, byte[] token, TokenKey key, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(derive("portcullis token seal", token), "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD((key.kind() + "\0" + key.hash()).getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("HashedTokens: an entry that does not open", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HashedTokens: AES-GCM is unavailable in this JDK", e);
        }
    }

    /** SHA-256 of {@code purpose} 0 kind 0 token: one purpose never yields another's bytes. */
    private byte[] derive(String purpose, byte[] token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(purpose.getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) 0);
            digest.update(kindBytes);
            digest.update((byte) 0);
            digest.update(token);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HashedTokens: the JVM has no SHA-256", e);
        }
    }
}
