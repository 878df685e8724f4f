package org.portcullis.portal.guard;

import java.util.Objects;

/**
 * CSRF defence for every state-changing portal form (SECURITY-RULES 17): sign-in, second factor, enrolment,
 * sign-out. Three layers, each enough against a plain cross-site form post, so a browser quirk in one is covered by
 * the others:
 * <ol>
 *   <li>SameSite cookies: the session cookie is {@code Lax}, the login CSRF cookie {@code Strict}.</li>
 *   <li>{@link RequestOriginCheck}: {@code Origin} and {@code Sec-Fetch-Site} must name the portal.</li>
 *   <li>A token in the form: for sign-in, the double-submit {@link CsrfCookie} (there is no session yet); for a
 *       session's forms, the random token kept in the session's attributes ({@link #checkStoredToken}), which the
 *       portal replaces whenever the session moves to a new id.</li>
 * </ol>
 * The origin is checked first; a refusal names the first layer that failed. Refusals show the user the form again
 * with one constant message; the reason goes to the audit log.
 */
public final class CsrfGuard {

    private final RequestOriginCheck originCheck;
    private final CsrfTokens tokens;

    public CsrfGuard(RequestOriginCheck originCheck, CsrfTokens tokens) {
        this.originCheck = Objects.requireNonNull(originCheck, "originCheck");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * The token for the login form being rendered: the browser's existing {@link CsrfCookie} token if it has exactly
     * one well-formed, so two open login tabs both keep working, else a fresh one. Put it in the form's
     * {@code csrf} field and send {@link CsrfCookie#setCookie} with it.
     */
    public String loginToken(FormHeaders headers) {
        CsrfCookieLookup lookup = CsrfCookie.find(headers.cookie());
        return lookup.token().orElseGet(tokens::newToken);
    }

    /** Checks a sign-in POST: origin, then the cookie, then the {@code csrf} field against the cookie. */
    public CsrfVerdict checkLogin(FormHeaders headers, String formToken) {
        RequestOriginCheck.Outcome origin = originCheck.check(headers.origin(), headers.secFetchSite());
        if (!origin.allowed()) {
            return new CsrfVerdict(CsrfVerdict.Outcome.ORIGIN_REFUSED, origin);
        }
        CsrfCookieLookup cookie = CsrfCookie.find(headers.cookie());
        switch (cookie.outcome()) {
            case ABSENT:
                return new CsrfVerdict(CsrfVerdict.Outcome.COOKIE_ABSENT, origin);
            case DUPLICATE:
                return new CsrfVerdict(CsrfVerdict.Outcome.COOKIE_DUPLICATE, origin);
            case MALFORMED:
                return new CsrfVerdict(CsrfVerdict.Outcome.COOKIE_MALFORMED, origin);
            default:
                return compare(origin, cookie.token().orElseThrow(), formToken);
        }
    }

    /** A fresh random token, for a caller that keeps it in the session's attributes. */
    public String newToken() {
        return tokens.newToken();
    }

    /** Checks a POST against a token the caller stored (e.g. in the session's attributes); origin first. */
    public CsrfVerdict checkStoredToken(FormHeaders headers, String expectedToken, String formToken) {
        RequestOriginCheck.Outcome origin = originCheck.check(headers.origin(), headers.secFetchSite());
        if (!origin.allowed()) {
            return new CsrfVerdict(CsrfVerdict.Outcome.ORIGIN_REFUSED, origin);
        }
        return compare(origin, expectedToken, formToken);
    }

    private static CsrfVerdict compare(RequestOriginCheck.Outcome origin, String expected, String formToken) {
        if (!CsrfTokens.isWellFormed(formToken)) {
            return new CsrfVerdict(CsrfVerdict.Outcome.TOKEN_MISSING, origin);
        }
        if (!CsrfTokens.matches(expected, formToken)) {
            return new CsrfVerdict(CsrfVerdict.Outcome.TOKEN_MISMATCH, origin);
        }
        return new CsrfVerdict(CsrfVerdict.Outcome.ALLOWED, origin);
    }
}
