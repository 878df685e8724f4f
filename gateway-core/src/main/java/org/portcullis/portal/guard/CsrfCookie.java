package org.portcullis.portal.guard;

import org.portcullis.session.CookieHeaders;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The login form's double-submit cookie {@value #NAME} (SECURITY-RULES 17). Before sign-in there is no session to
 * bind a token to, so the login page sets a random token both in this cookie and in the form's {@code csrf} field,
 * and the POST must carry the same token in both. A cross-site page can make the browser send the cookie but can
 * neither read it nor set the field to match.
 *
 * <h2>Set-Cookie</h2>
 * {@code __Host-portcullis-csrf=<token>; Path=/; Secure; HttpOnly; SameSite=Strict}. The classic weakness of
 * double-submit is a sibling sub-domain planting its own cookie (cookie tossing); the {@code __Host-} prefix
 * (RFC 6265bis §4.1.3.2) forbids {@code Domain} so no other host can set it, and {@link #find} refuses duplicates.
 * {@code SameSite=Strict} keeps it off every cross-site request, also top-level navigations; {@code HttpOnly} keeps
 * it from scripts. No {@code Max-Age}: it lives as long as the browser session.
 *
 * <h2>Reading and stripping</h2>
 * The same strict rules as the session cookie ({@link org.portcullis.session.SessionCookie}): one occurrence with the
 * exact name and a well-formed {@link CsrfTokens token}, or no token. Like the session cookie it must never reach an
 * upstream and an upstream may not set it: the proxy strips it with {@link #stripFromCookieHeader} and drops
 * upstream {@code Set-Cookie} values for which {@link #isGatewayCookie} is true (the portal host may itself be a
 * protected host).
 */
public final class CsrfCookie {

    public static final String NAME = "__Host-portcullis-csrf";
    static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=Strict";

    private CsrfCookie() {
    }

    /** The {@code Set-Cookie} value that hands {@code token} to the browser. */
    public static String setCookie(String token) {
        if (!CsrfTokens.isWellFormed(token)) {
            throw new IllegalArgumentException("CsrfCookie: not a CSRF token");
        }
        return NAME + "=" + token + ATTRIBUTES;
    }

    /** The {@code Set-Cookie} value that deletes the cookie (after a successful sign-in). */
    public static String clearingCookie() {
        return NAME + "=; Max-Age=0" + ATTRIBUTES;
    }

    /** Looks for the token in every {@code Cookie} header of one request. */
    public static CsrfCookieLookup find(List<String> cookieHeaders) {
        Objects.requireNonNull(cookieHeaders, "cookieHeaders");
        CookieHeaders.Lookup lookup = CookieHeaders.find(cookieHeaders, NAME);
        switch (lookup.outcome()) {
            case ABSENT:
                return new CsrfCookieLookup(CsrfCookieLookup.Outcome.ABSENT, Optional.empty());
            case DUPLICATE:
                return new CsrfCookieLookup(CsrfCookieLookup.Outcome.DUPLICATE, Optional.empty());
            case FOUND:
                if (CsrfTokens.isWellFormed(lookup.value())) {
                    return new CsrfCookieLookup(CsrfCookieLookup.Outcome.FOUND, Optional.of(lookup.value()));
                }
                return new CsrfCookieLookup(CsrfCookieLookup.Outcome.MALFORMED, Optional.empty());
            default:
                return new CsrfCookieLookup(CsrfCookieLookup.Outcome.MALFORMED, Optional.empty());
        }
    }

    /** One {@code Cookie} header without this cookie (every occurrence, every case); empty to drop the header. */
    public static Optional<String> stripFromCookieHeader(String cookieHeader) {
        return CookieHeaders.strip(cookieHeader, NAME);
    }

    /** True if an upstream's {@code Set-Cookie} value names this cookie (any case, also nameless). */
    public static boolean isGatewayCookie(String setCookieValue) {
        return CookieHeaders.setsCookie(setCookieValue, NAME);
    }
}
