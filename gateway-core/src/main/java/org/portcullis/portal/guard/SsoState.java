package org.portcullis.portal.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.session.CookieHeaders;
import org.portcullis.session.SessionCookie;

/**
 * The browser binding of single sign-on (SECURITY-RULES 25): a sign-in that a protected host sends to the portal can
 * only be completed at that host's callback by the browser that started it.
 *
 * <p>When a protected host (not the portal's own host) sends a browser to the portal, it sets the host-only cookie
 * {@value #NAME} to a random nonce (or keeps the one the browser already has) and puts the nonce's
 * {@link #binding binding}, {@code base64url(SHA-256("portcullis sso state" 0x00 nonce))}, in the portal URL as
 * {@code state}. The portal binds each callback code to that value, and the callback redeems a code only when the
 * browser presents the nonce whose binding the code carries. An attacker who signs in and sends their callback link to
 * someone else therefore signs nobody in: the other browser has no nonce, or a different one, and cannot be given the
 * attacker's ({@code __Host-}: no other host may set it; the gateway's cookie family: no upstream may set it).
 *
 * <h2>Set-Cookie</h2>
 * {@code __Host-portcullis-sso=<nonce>; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=900}. {@code SameSite=Lax}, not
 * {@code Strict}: the callback is a top-level navigation that arrives from the portal, which browsers treat as
 * cross-site whenever the portal is on another registrable domain, and a {@code Strict} cookie would not be sent. It
 * is enough: a cross-site page can make the browser send the cookie, but never learn or choose its value. It lives 15
 * minutes (longer than any sign-in takes) and is reused while it lives, so two tabs that start a sign-in on the same
 * host both complete. Only the binding, never the nonce, appears in a URL.
 */
public final class SsoState {

    public static final String NAME = SessionCookie.FAMILY_PREFIX + "sso";
    /** The portal's query parameter that carries the binding. */
    public static final String PARAMETER = "state";
    static final int MAX_AGE_SECONDS = 900;
    static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=" + MAX_AGE_SECONDS;
    private static final byte[] DOMAIN = "portcullis sso state\0".getBytes(StandardCharsets.US_ASCII);
    private static final CsrfTokens TOKENS = new CsrfTokens(new SecureRandom());

    private SsoState() {
    }

    /** The browser's nonce: exactly one {@value #NAME} with the exact name and a well-formed value, else empty. */
    public static Optional<String> find(List<String> cookieHeaders) {
        Objects.requireNonNull(cookieHeaders, "cookieHeaders");
        CookieHeaders.Lookup lookup = CookieHeaders.find(cookieHeaders, NAME);
        if (lookup.outcome() != CookieHeaders.Outcome.FOUND || !CsrfTokens.isWellFormed(lookup.value())) {
            return Optional.empty();
        }
        return Optional.of(lookup.value());
    }

    /** The browser's nonce if it has a good one, else a fresh one. */
    public static String nonceFor(List<String> cookieHeaders) {
        return find(cookieHeaders).orElseGet(TOKENS::newToken);
    }

    /** The {@code Set-Cookie} value that gives (or renews) {@code nonce} to the browser. */
    public static String setCookie(String nonce) {
        if (!CsrfTokens.isWellFormed(nonce)) {
            throw new IllegalArgumentException("SsoState: not a nonce");
        }
        return NAME + "=" + nonce + ATTRIBUTES;
    }

    /** The value that travels through the portal for {@code nonce}; a {@link CsrfTokens well-formed token}. */
    public static String binding(String nonce) {
        if (!CsrfTokens.isWellFormed(nonce)) {
            throw new IllegalArgumentException("SsoState: not a nonce");
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(DOMAIN);
            digest.update(nonce.getBytes(StandardCharsets.US_ASCII));
            return CsrfTokens.encode(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SsoState: the JVM has no SHA-256", e);
        }
    }

    /** True when {@code nonce} is present and its binding is {@code expected}; constant time in the values. */
    public static boolean matches(String expected, Optional<String> nonce) {
        return nonce.isPresent() && CsrfTokens.isWellFormed(nonce.get())
                && CsrfTokens.matches(expected, binding(nonce.get()));
    }
}
