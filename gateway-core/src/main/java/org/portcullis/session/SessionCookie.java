package org.portcullis.session;

import java.util.ArrayList;
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
 * around names and values is ignored (RFC 6265bis §5.4). Then:
 * <ul>
 *   <li>every pair whose name equals {@value #NAME} ignoring case (also after a stray leading {@code =}, the form a
 *       nameless cookie takes) counts as an occurrence;</li>
 *   <li>two or more occurrences are {@link CookieLookup.Outcome#DUPLICATE DUPLICATE}: the classic cookie-tossing
 *       attack plants a second cookie of the same name to fix the victim's session, and the gateway cannot tell which
 *       is genuine, so it uses neither;</li>
 *   <li>one occurrence counts only with the exact name and a canonical {@link SessionId} value; anything else
 *       (quoted, truncated, padded, a case variant) is {@link CookieLookup.Outcome#MALFORMED MALFORMED};</li>
 *   <li>control bytes anywhere in the header make it {@code MALFORMED} (the ingress rejects them anyway).</li>
 * </ul>
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
        int occurrences = 0;
        String exactValue = null;
        for (String header : cookieHeaders) {
            if (header == null || hasControlBytes(header)) {
                return CookieLookup.none(CookieLookup.Outcome.MALFORMED);
            }
            for (String pair : header.split(";", -1)) {
                if (!isGatewayName(pair)) {
                    continue;
                }
                occurrences++;
                exactValue = exactValue(pair);
            }
        }
        if (occurrences == 0) {
            return CookieLookup.none(CookieLookup.Outcome.ABSENT);
        }
        if (occurrences > 1) {
            return CookieLookup.none(CookieLookup.Outcome.DUPLICATE);
        }
        Optional<SessionId> id = SessionId.parse(exactValue);
        return id.map(CookieLookup::found).orElseGet(() -> CookieLookup.none(CookieLookup.Outcome.MALFORMED));
    }

    /**
     * One {@code Cookie} header without the gateway's cookie (every occurrence, every case), so no upstream ever sees
     * the session id. The other pairs keep their text and order, joined by {@code "; "}.
     *
     * @return the header to forward, unchanged if it held no gateway cookie, or empty to drop the header altogether
     */
    public static Optional<String> stripFromCookieHeader(String cookieHeader) {
        String[] pairs = cookieHeader.split(";", -1);
        List<String> kept = new ArrayList<>(pairs.length);
        for (String pair : pairs) {
            if (!isGatewayFamilyName(pair)) {
                String trimmed = trimOws(pair);
                if (!trimmed.isEmpty()) {
                    kept.add(trimmed);
                }
            }
        }
        if (kept.size() == pairs.length) {
            return Optional.of(cookieHeader);
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", kept));
    }

    /**
     * True if an upstream's {@code Set-Cookie} value names the gateway's cookie (any case, also as a nameless
     * cookie whose value starts with the name). The proxy drops such a header, so an upstream can neither set, fix
     * nor delete the session.
     */
    public static boolean isGatewayCookie(String setCookieValue) {
        int semicolon = setCookieValue.indexOf(';');
        return isGatewayFamilyName(semicolon < 0 ? setCookieValue : setCookieValue.substring(0, semicolon));
    }

    /** The pair's name, ignoring surrounding whitespace and a stray leading {@code =}, compared without case. */
    private static boolean isGatewayName(String pair) {
        // equalsIgnoreCase folds per character, also non-ASCII look-alikes such as U+017F (long s) that some
        // frameworks fold to 's': counting too much as the gateway's cookie only strips and refuses more.
        return pairName(pair).equalsIgnoreCase(NAME);
    }

    /** True for the session cookie and every {@value #NAME}{@code -…} cookie, in any case. */
    private static boolean isGatewayFamilyName(String pair) {
        String name = pairName(pair);
        return name.equalsIgnoreCase(NAME)
                || (name.length() > FAMILY_PREFIX.length() && name.regionMatches(true, 0, FAMILY_PREFIX, 0,
                FAMILY_PREFIX.length()));
    }

    private static String pairName(String pair) {
        String rest = trimOws(pair);
        int start = 0;
        while (start < rest.length() && (rest.charAt(start) == '=' || isOws(rest.charAt(start)))) {
            start++;
        }
        int equals = rest.indexOf('=', start);
        return trimOws(equals < 0 ? rest.substring(start) : rest.substring(start, equals));
    }

    /** The value if the pair's name is exactly {@value #NAME}, else null (a case variant or a nameless form). */
    private static String exactValue(String pair) {
        String trimmed = trimOws(pair);
        int equals = trimmed.indexOf('=');
        if (equals < 0 || !trimOws(trimmed.substring(0, equals)).equals(NAME)) {
            return null;
        }
        return trimOws(trimmed.substring(equals + 1));
    }

    private static boolean hasControlBytes(String header) {
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static String trimOws(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isOws(text.charAt(start))) {
            start++;
        }
        while (end > start && isOws(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }
}
