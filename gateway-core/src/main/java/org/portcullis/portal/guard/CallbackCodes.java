package org.portcullis.portal.guard;

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
import org.portcullis.session.SessionIdHash;

/**
 * One-time codes of the single sign-on callback (issue #4 §3). After sign-in the portal sends the browser to
 * {@code https://HOST/.portcullis/callback?code=…}; the host redeems the code, sets its own host-only session cookie
 * and redirects to the original path. The code is the only thing that crosses from the portal's origin to the
 * host's, so it carries every restriction:
 *
 * <ul>
 *   <li><b>Unguessable</b>: {@value #CODE_BYTES} bytes from {@link SecureRandom}, base64url without padding
 *       ({@value #CODE_LENGTH} characters). Only the canonical encoding is accepted.</li>
 *   <li><b>Single use</b>: redeeming removes it atomically ({@link CallbackCodeStore#take}); of any number of racing
 *       redemptions exactly one can win. Every redemption consumes the code, also one that is refused.</li>
 *   <li><b>Short-lived</b>: valid from issue for the configured lifetime, at most {@link #MAX_TTL} (30 s); from the
 *       instant of expiry on it is refused. Time comes from the injected {@link Clock}.</li>
 *   <li><b>Bound to one host</b>: redeemed on any other host it is refused (and consumed), so a code that leaks from
 *       one application's logs or {@code Referer} cannot sign in to another.</li>
 *   <li><b>Bound to the browser</b> that started the sign-in (SECURITY-RULES 25): it carries the {@link SsoState}
 *       binding the protected host put in the portal URL, and is redeemed only with the matching nonce from that
 *       host's cookie. A callback link sent to another browser signs nobody in (and is consumed).</li>
 *   <li><b>Bound to the portal session</b> that signed in: the grant names it, so the host's session ends with it.</li>
 *   <li><b>Stored as a hash</b>: the store sees {@code SHA-256("portcullis callback code" 0x00 code-bytes)} only.</li>
 * </ul>
 * The code is a bearer secret in a URL: the callback must answer with {@code Referrer-Policy: no-referrer} and
 * {@code Cache-Control: no-store}, and the access log must not record its query.
 */
public final class CallbackCodes {

    public static final Duration MAX_TTL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TTL = MAX_TTL;
    public static final int CODE_BYTES = 32;
    public static final int CODE_LENGTH = 43;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final byte[] DOMAIN = "portcullis callback code\0".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_RETURN_LENGTH = ReturnTargetPolicy.MAX_LENGTH;

    private final CallbackCodeStore store;
    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random;

    /**
     * @param ttl how long a code stays valid; positive and at most {@link #MAX_TTL}
     * @throws IllegalArgumentException for a longer, zero or negative lifetime
     */
    public CallbackCodes(CallbackCodeStore store, Clock clock, Duration ttl, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("CallbackCodes: the code lifetime must be more than 0 and at most "
                    + MAX_TTL.toSeconds() + " s");
        }
        this.ttl = ttl;
    }

    /**
     * Issues a code for the callback on {@code host}.
     *
     * @param host               the canonical (lower-case) host the browser is sent to, from an accepted
     *                           {@link ReturnTarget}
     * @param portalSession      the portal session that signed in
     * @param returnPathAndQuery {@link ReturnTarget#pathAndQuery()}: starts with exactly one '/'
     * @param stateBinding       {@link SsoState#binding} of the nonce the browser got from {@code host}
     * @return the code, to be put in the callback URL and nowhere else
     */
    public String issue(String host, SessionIdHash portalSession, String returnPathAndQuery, String stateBinding) {
        Objects.requireNonNull(portalSession, "portalSession");
        if (host == null || !ReturnTargetPolicy.isHostNameSyntax(host)) {
            throw new IllegalArgumentException("CallbackCodes: host must be a canonical lower-case host name");
        }
        rejectBadReturnPath(returnPathAndQuery);
        if (!CsrfTokens.isWellFormed(stateBinding)) {
            throw new IllegalArgumentException("CallbackCodes: a code is always bound to a browser's state");
        }
        byte[] code = new byte[CODE_BYTES];
        random.nextBytes(code);
        Instant now = clock.instant();
        store.put(hash(code), new PendingCallback(host, portalSession, returnPathAndQuery, stateBinding, now,
                now.plus(ttl)));
        return ENCODER.encodeToString(code);
    }

    /**
     * The grant for {@code code} on {@code host} in the browser that presents {@code nonce} (its {@link SsoState}
     * cookie), or the reason there is none. The code is used up either way.
     */
    public CallbackRedemption attempt(String code, String host, Optional<String> nonce) {
        Optional<byte[]> bytes = parse(code);
        if (bytes.isEmpty()) {
            return CallbackRedemption.refused(CallbackRedemption.Outcome.MALFORMED);
        }
        Optional<PendingCallback> taken = store.take(hash(bytes.get()));
        if (taken.isEmpty()) {
            return CallbackRedemption.refused(CallbackRedemption.Outcome.UNKNOWN);
        }
        PendingCallback pending = taken.get();
        Instant now = clock.instant();
        if (now.isBefore(pending.issuedAt()) || !now.isBefore(pending.expiresAt())) {
            return CallbackRedemption.refused(CallbackRedemption.Outcome.EXPIRED);
        }
        if (!pending.host().equals(host)) {
            return CallbackRedemption.refused(CallbackRedemption.Outcome.WRONG_HOST);
        }
        if (!SsoState.matches(pending.stateBinding(), nonce)) {
            return CallbackRedemption.refused(CallbackRedemption.Outcome.STATE_MISMATCH);
        }
        return new CallbackRedemption(CallbackRedemption.Outcome.REDEEMED,
                Optional.of(new CallbackGrant(pending.portalSession(), pending.returnPathAndQuery())));
    }

    /** The code's bytes if {@code text} is exactly a canonical code, else empty. */
    private static Optional<byte[]> parse(String text) {
        if (text == null || text.length() != CODE_LENGTH || !CsrfTokens.isWellFormed(text)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != CODE_BYTES || !ENCODER.encodeToString(bytes).equals(text)) {
            return Optional.empty();
        }
        return Optional.of(bytes);
    }

    static CallbackCodeHash hash(byte[] code) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(DOMAIN);
            digest.update(code);
            return CallbackCodeHash.of(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("CallbackCodes: the JVM has no SHA-256", e);
        }
    }

    /** A path as {@link ReturnTarget} produces it: one leading '/', printable ASCII, no '\' or '#'. */
    private static void rejectBadReturnPath(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_RETURN_LENGTH || path.charAt(0) != '/'
                || path.startsWith("//")) {
            throw new IllegalArgumentException("CallbackCodes: the return path must start with exactly one '/'");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '\\' || c == '#') {
                throw new IllegalArgumentException("CallbackCodes: the return path has a forbidden character");
            }
        }
    }
}
