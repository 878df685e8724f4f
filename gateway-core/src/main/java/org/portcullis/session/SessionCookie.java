package org.portcullis.session;

import java.util.List;
import java.util.Optional;

/**
 * The gateway's session cookie: building {@code Set-Cookie}, finding the id in {@code Cookie}, and keeping the cookie
 * away from upstreams in both directions (SECURITY-RULES 11).
 *
 * <h2>Set-Cookie</h2>
 * {@code __Host-portcullis=<id>; Path=/; Secure; HttpOnly; SameSite=Lax}. The {@code __Host-} prefix (RFC 6265bis
 * §4.1.3.2) makes browsers accept it only with {@code Secure}, {@code Path=/} and no {@code Domain}, so a sibling host
 * cannot plant one for this host; {@code HttpOnly} keeps it from scripts; {@code SameSite=Lax} keeps it off
 * cross-site sub-requests and POSTs. There is no {@code Max-Age}/{@code Expires}: it is a browser-session cookie that
 * ends with the browser, which suits shared clinical workstations, while the server enforces the real idle and
 * absolute timeouts whatever the browser keeps.
 *
 * <h2>Reading Cookie</h2>
 * Strict about the gateway's own cookie, tolerant of the neighbours'. Pairs are split at {@code ;} and the whitespace
 * around names and values is ignored (RFC 6265bis §5.4). Then (the rules of {@link CookieHeaders}):
 * <ul>
 *   <li>only a pair with exactly the name {@value #NAME} is genuine; a case variant or a nameless cookie that imitates
 *       it is tossed: never read as the session, and cleared by the gateway's sign-in answers
 *       ({@link TossedCookies});</li>
 *   <li>genuine pairs with different values are {@link CookieLookup.Outcome#DUPLICATE DUPLICATE}: the gateway cannot
 *       tell which is real, so it uses neither (no session fixation by a planted cookie) and clears them;</li>
 *   <li>a genuine value counts only as a canonical {@link SessionId}; anything else (quoted, truncated, padded) is
 *       {@link CookieLookup.Outcome#MALFORMED MALFORMED}, and so is a tossed imitation without a genuine cookie;</li>
 *   <li>control bytes anywhere in the header make it {@code MALFORMED} (the ingress rejects them anyway).</li>
 * </ul>
 * A tossed imitation beside one genuine cookie does not sign the user out: the genuine one is used.
 * Other cookies are not validated: a legacy upstream's JSON cookie breaks RFC 6265's value grammar, and failing on it
 * would sign out every user of that application without protecting anything.
 *
 * <h2>Names and case</h2>
 * RFC 6265 compares cookie names case-sensitively, so only the exact name is the session. But upstream frameworks and
 * older browsers differ (some fold case, some treat a {@code __HOST-} prefix as no prefix at all), so every case
 * variant is treated as the gateway's cookie when stripping and when refusing upstream {@code Set-Cookie}, and as an
 * occurrence when reading. Stripping and refusing go further: {@value #NAME} and every name that starts with
 * {@value #NAME}{@code -} in any case (the portal's CSRF cookie, and any the gateway adds later) belong to the
 * gateway and never reach an upstream nor come from one.
 */
public final class SessionCookie {

    public static final String NAME = "__Host-portcullis";
    static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=Lax";
    /** Names of the gateway's other cookies start with this (the portal's CSRF cookie). */
    public static final String FAMILY_PREFIX = NAME + "-";

    private SessionCookie() {
    }

    /** The {@code Set-Cookie} value that hands {@code id} to the browser. */
    public static String setCookie(SessionId id) {
        return NAME + "=" + id.cookieValue() + ATTRIBUTES;
    }

    /**
     * The {@code Set-Cookie} value that deletes the cookie (logout, expired or unknown session). It repeats the
     * attributes because a browser only replaces a {@code __Host-} cookie with one that has them.
     */
    public static String clearingCookie() {
        return NAME + "=; Max-Age=0" + ATTRIBUTES;
    }

    /** Looks for the session id in every {@code Cookie} header of one request (HTTP/2 may split it in several). */
    public static CookieLookup find(List<String> cookieHeaders) {
        CookieHeaders.Lookup lookup = CookieHeaders.findGenuine(cookieHeaders, NAME);
        switch (lookup.outcome()) {
            case ABSENT:
                return CookieLookup.none(CookieLookup.Outcome.ABSENT);
            case DUPLICATE:
                return CookieLookup.none(CookieLookup.Outcome.DUPLICATE);
            case MALFORMED:
                return CookieLookup.none(CookieLookup.Outcome.MALFORMED);
            default:
                return SessionId.parse(lookup.value()).map(CookieLookup::found)
                        .orElseGet(() -> CookieLookup.none(CookieLookup.Outcome.MALFORMED));
        }
    }

    /**
     * One {@code Cookie} header without the gateway's cookies (every occurrence, every case), so no upstream ever sees
     * the session id or the CSRF token. The other pairs keep their text and order, joined by {@code "; "}.
     *
     * @return the header to forward, unchanged if it held no gateway cookie, or empty to drop the header altogether
     */
    public static Optional<String> stripFromCookieHeader(String cookieHeader) {
        return CookieHeaders.strip(cookieHeader, SessionCookie::isGatewayFamilyName);
    }

    /**
     * True if an upstream's {@code Set-Cookie} value names one of the gateway's cookies (any case, also as a nameless
     * cookie whose value starts with the name). The proxy drops such a header, so an upstream can neither set, fix
     * nor delete the session.
     */
    public static boolean isGatewayCookie(String setCookieValue) {
        return CookieHeaders.setsCookie(setCookieValue, SessionCookie::isGatewayFamilyName);
    }

    /** True for the session cookie and every {@value #NAME}{@code -…} cookie, in any case. */
    private static boolean isGatewayFamilyName(String name) {
        return name.equalsIgnoreCase(NAME)
                || (name.length() > FAMILY_PREFIX.length() && name.regionMatches(true, 0, FAMILY_PREFIX, 0,
                FAMILY_PREFIX.length()));
    }
}
