package org.portcullis.tcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.portcullis.session.SessionId;
import org.portcullis.tokens.GrantFields;
import org.portcullis.tokens.HashedTokens;
import org.portcullis.tokens.TokenStore;

/**
 * The credentials of {@code portcullis connect}, in two steps (RFC 8252, native apps with a loopback redirect, and
 * RFC 7636, PKCE with S256 only):
 * <ol>
 *   <li>a <b>code</b>, issued by the portal to the loopback {@code redirect_uri} for a session signed in with two
 *       factors: random (256 bits), single use, valid {@link #CODE_LIFETIME}, bound to that session, one target, the
 *       exact redirect URI and the PKCE challenge. Whoever sees the redirect but not the command's verifier (another
 *       process on the machine, a browser extension, a log) gets nothing from it;</li>
 *   <li>a <b>token</b>, given once in exchange for the code and the verifier: random (256 bits), bound to the same
 *       session and target, valid at most until the session's absolute expiry (capped at
 *       {@link #MAX_TOKEN_LIFETIME}). It is <em>not</em> single use: it opens any number of tunnels to that one target
 *       while the session lives — every tunnel is admitted again against the session and the policy, so a token of a
 *       session that ended opens nothing.</li>
 * </ol>
 * Both are made, hashed, sealed and checked by {@link HashedTokens} (the store sees a hash and a sealed grant, never a
 * code, a token or the session id), each kind in its own store: this process's memory on a single gateway (a restart
 * asks the command to sign in again), or Redis with {@code cache.redis}, so that a code issued by one node's portal is
 * exchanged on another, once for the whole cluster, and the token then works on every node. In memory each kind holds
 * at most {@link #MAX_ENTRIES}; expired entries are dropped as new ones come. Store calls block (Redis): callers run
 * them on storage threads, never on an event loop; a store failure throws and the caller refuses.
 *
 * <p>Thread-safe. {@link Grant#toString()} names no session and no secret.
 */
public final class ConnectGrants {
    public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(12);
    /** At most this many codes, and as many tokens, in memory: a flood of sign-ins costs a bounded amount of memory. */
    public static final int MAX_ENTRIES = 20_000;
    static final String CODE_KIND = "connect-code";
    static final String TOKEN_KIND = "connect-token";
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    /** A token's binding: the session it belongs to, the target it opens, and when it stops working. */
    public record Grant(SessionId session, String target, Instant expires) {
        public Grant {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(expires, "expires");
        }

        @Override
        public String toString() {
            return "Grant[target=" + target + ", expires=" + expires + "]";
        }
    }

    /** Why a token does not open a tunnel. */
    public enum Refusal { MALFORMED, UNKNOWN, EXPIRED }

    /** A token's lookup: its grant, or why there is none. */
    public record Lookup(Grant grant, Refusal refusal) {
    }

    private final HashedTokens codes;
    private final HashedTokens tokens;
    private final Clock clock;

    /**
     * @param codeStore  where codes wait (single use)
     * @param tokenStore where tokens wait (looked up on every tunnel)
     */
    public ConnectGrants(TokenStore codeStore, TokenStore tokenStore, Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codes = new HashedTokens(codeStore, CODE_KIND, clock, random);
        this.tokens = new HashedTokens(tokenStore, TOKEN_KIND, clock, random);
    }

    /**
     * A new code for {@code session} (signed in with two factors, checked by the caller) and {@code target}, to be sent
     * to {@code redirectUri}; empty when the table is full.
     *
     * @param sessionExpiry the session's absolute expiry, which bounds the token
     */
    public Optional<String> issueCode(SessionId session, String target, Instant sessionExpiry, String redirectUri,
                                      String challenge) {
        Instant now = clock.instant();
        Instant tokenExpiry = sessionExpiry.isBefore(now.plus(MAX_TOKEN_LIFETIME)) ? sessionExpiry
                : now.plus(MAX_TOKEN_LIFETIME);
        byte[] grant = GrantFields.write(session.cookieValue(), target, Long.toString(tokenExpiry.toEpochMilli()),
                redirectUri, challenge);
        return codes.issue(grant, now.plus(CODE_LIFETIME));
    }

    /**
     * Exchanges {@code code} for a token when the verifier matches the code's challenge and {@code redirectUri} is the
     * one the code was sent to. The code is used up by the first attempt, right or wrong, on any node: a guessed
     * verifier gets one try.
     */
    public Optional<String> redeem(String code, String verifier, String redirectUri) {
        if (code == null || verifier == null || redirectUri == null || !SECRET.matcher(code).matches()
                || !VERIFIER.matcher(verifier).matches()) {
            return Optional.empty();
        }
        HashedTokens.Redemption taken = codes.take(code);
        if (taken.outcome() != HashedTokens.Outcome.VALID) {
            return Optional.empty();
        }
        String[] fields = GrantFields.read(taken.grant(), 5);
        Grant grant = new Grant(session(fields[0]), fields[1], Instant.ofEpochMilli(Long.parseLong(fields[2])));
        if (!fields[3].equals(redirectUri)
                || !MessageDigest.isEqual(challengeOf(verifier).getBytes(StandardCharsets.US_ASCII),
                fields[4].getBytes(StandardCharsets.US_ASCII))
                || !clock.instant().isBefore(grant.expires())) {
            return Optional.empty();
        }
        return tokens.issue(GrantFields.write(grant.session().cookieValue(), grant.target()), grant.expires());
    }

    /** The grant of {@code token}, or why it has none. The token stays: it opens every tunnel of its session. */
    public Lookup lookup(String token) {
        if (token == null || !SECRET.matcher(token).matches()) {
            return new Lookup(null, Refusal.MALFORMED);
        }
        HashedTokens.Redemption found = tokens.peek(token);
        return switch (found.outcome()) {
            case VALID -> {
                String[] fields = GrantFields.read(found.grant(), 2);
                yield new Lookup(new Grant(session(fields[0]), fields[1], found.expiresAt()), null);
            }
            case EXPIRED -> new Lookup(null, Refusal.EXPIRED);
            case MALFORMED -> new Lookup(null, Refusal.MALFORMED);
            case UNKNOWN, SPENT -> new Lookup(null, Refusal.UNKNOWN);
        };
    }

    /** The PKCE S256 challenge of {@code verifier}: base64url of its SHA-256, without padding. */
    public static String challengeOf(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    /** True for text of a token's form (43 base64url characters), before any look-up. */
    public static boolean wellFormedToken(String token) {
        return token != null && SECRET.matcher(token).matches();
    }

    /** True for a syntactically valid S256 challenge (43 base64url characters). */
    public static boolean validChallenge(String challenge) {
        return challenge != null && SECRET.matcher(challenge).matches();
    }

    private static SessionId session(String text) {
        return SessionId.parse(text).orElseThrow(
                () -> new IllegalStateException("ConnectGrants: a grant without a session"));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("ConnectGrants: SHA-256 missing", e);
        }
    }
}
