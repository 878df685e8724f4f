package org.portcullis.browser;

import java.time.Instant;
import java.util.Optional;
import org.openqa.selenium.Cookie;

/**
 * A cookie as the browser stores it (WebDriver "Get All Cookies", which includes HttpOnly cookies), so a test can
 * assert the attributes the gateway set: {@code __Host-} prefix rules, Secure, HttpOnly, SameSite, Path, expiry.
 *
 * @param domain the host the cookie is bound to (host-only cookies, such as {@code __Host-} ones, report the host)
 * @param sameSite {@code Strict}, {@code Lax} or {@code None} as the browser reports it
 * @param expiry empty for a session cookie
 */
public record BrowserCookie(String name, String value, String domain, String path, boolean secure,
        boolean httpOnly, String sameSite, Optional<Instant> expiry) {

    static BrowserCookie of(Cookie cookie) {
        return new BrowserCookie(cookie.getName(), cookie.getValue(), cookie.getDomain(), cookie.getPath(),
                cookie.isSecure(), cookie.isHttpOnly(), cookie.getSameSite(),
                Optional.ofNullable(cookie.getExpiry()).map(java.util.Date::toInstant));
    }

    /** True for a session cookie: gone when the browser closes. */
    public boolean isSessionCookie() {
        return expiry.isEmpty();
    }

    /** The value is left out: test output must not carry session tokens either. */
    @Override
    public String toString() {
        return "BrowserCookie[" + name + "=<" + value.length() + " chars>; Domain=" + domain + "; Path=" + path
                + (secure ? "; Secure" : "") + (httpOnly ? "; HttpOnly" : "") + "; SameSite=" + sameSite
                + expiry.map(e -> "; Expires=" + e).orElse("") + "]";
    }
}
