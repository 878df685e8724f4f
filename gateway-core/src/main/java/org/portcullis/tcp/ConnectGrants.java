package org.portcullis.tcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.portcullis.session.SessionId;

/**
 * The credentials of {@code portcullis connect}, in two steps (RFC 8252, native apps with a loopback redirect, and
 * RFC 7636, PKCE with S256 only):
 * <ol>
 *   <li>a <b>code</b>, issued by the portal to the loopback {@code redirect_uri} for a session signed in with two
 *       factors: random (256 bits), kept only as its SHA-256, single use, valid {@link #CODE_LIFETIME}, bound to that
 *       session, one target, the exact redirect URI and the PKCE challenge. Whoever sees the redirect but not the
 *       command's verifier (another process on the machine, a browser extension, a log) gets nothing from it;</li>
 *   <li>a <b>token</b>, given once in exchange for the code and the verifier: random (256 bits), kept only as its
 *       SHA-256, bound to the same session and target, valid at most until the session's absolute expiry (capped at
 *       {@link #MAX_TOKEN_LIFETIME}). It opens any number of tunnels to that one target while the session lives —
 *       every tunnel is admitted again against the session and the policy, so a token of a session that ended
 *       opens nothing.</li>
 * </ol>
 * Both live in this process's memory only: a gateway restart (or another node of a cluster) asks the command to sign
 * in again. Both tables are bounded; expired entries are dropped as new ones come.
 *
 * <p>Thread-safe. {@link Grant#toString()} names no session and no secret.
 */
public final class ConnectGrants {
    public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(12);
    /** At most this many codes or tokens at once: a flood of sign-ins costs a bounded amount of memory. */
    static final int MAX_ENTRIES = 20_000;
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

    private record Code(Grant grant, String redirectUri, String challenge, Instant expires) {
    }

    /** Why a token does not open a tunnel. */
    public enum Refusal { MALFORMED, UNKNOWN, EXPIRED }

    /** A token's lookup: its grant, or why there is none. */
    public record Lookup(Grant grant, Refusal refusal) {
    }

    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SecureRandom random;

    public ConnectGrants(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
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
        purge(now);
        if (codes.size() >= MAX_ENTRIES) {
            return Optional.empty();
        }
        Instant tokenExpiry = sessionExpiry.isBefore(now.plus(MAX_TOKEN_LIFETIME)) ? sessionExpiry
                : now.plus(MAX_TOKEN_LIFETIME);
        String code = newSecret();
        codes.put(hash(code), new Code(new Grant(session, target, tokenExpiry), redirectUri, challenge,
                now.plus(CODE_LIFETIME)));
        return Optional.of(code);
    }

    /**
     * Exchanges {@code code} for a token when the verifier matches the code's challenge and {@code redirectUri} is the
     * one the code was sent to. The code is used up by the first attempt, right or wrong: a guessed verifier gets one
     * try.
     */
    public Optional<String> redeem(String code, String verifier, String redirectUri) {
        if (code == null || verifier == null || redirectUri == null || !SECRET.matcher(code).matches()
                || !VERIFIER.matcher(verifier).matches()) {
            return Optional.empty();
        }
        Code issued = codes.remove(hash(code));
        Instant now = clock.instant();
        if (issued == null || !now.isBefore(issued.expires()) || !issued.redirectUri().equals(redirectUri)
                || !MessageDigest.isEqual(challengeOf(verifier).getBytes(StandardCharsets.US_ASCII),
                issued.challenge().getBytes(StandardCharsets.US_ASCII))
                || !now.isBefore(issued.grant().expires())) {
            return Optional.empty();
        }
        purge(now);
        if (tokens.size() >= MAX_ENTRIES) {
            return Optional.empty();
        }
        String token = newSecret();
        tokens.put(hash(token), issued.grant());
        return Optional.of(token);
    }

    /** The grant of {@code token}, or why it has none. */
    public Lookup lookup(String token) {
        if (token == null || !SECRET.matcher(token).matches()) {
            return new Lookup(null, Refusal.MALFORMED);
        }
        Grant grant = tokens.get(hash(token));
        if (grant == null) {
            return new Lookup(null, Refusal.UNKNOWN);
        }
        if (!clock.instant().isBefore(grant.expires())) {
            tokens.remove(hash(token));
            return new Lookup(null, Refusal.EXPIRED);
        }
        return new Lookup(grant, null);
    }

    /** The PKCE S256 challenge of {@code verifier}: base64url of its SHA-256, without padding. */
    public static String challengeOf(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    /** True for a syntactically valid S256 challenge (43 base64url characters). */
    public static boolean validChallenge(String challenge) {
        return challenge != null && SECRET.matcher(challenge).matches();
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void purge(Instant now) {
        codes.values().removeIf(c -> !now.isBefore(c.expires()));
        if (tokens.size() > MAX_ENTRIES / 2) {
            tokens.values().removeIf(g -> !now.isBefore(g.expires()));
        }
    }

    private static String hash(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("ConnectGrants: SHA-256 missing", e);
        }
    }
}
