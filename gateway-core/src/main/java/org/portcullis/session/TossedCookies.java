package org.portcullis.session;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code Set-Cookie} headers that delete tossed imitations of the gateway's session cookie (see
 * {@link CookieHeaders}): a case variant of its name, or a nameless cookie. Left alone, such a cookie comes back with
 * every request and, if it is ambiguous, keeps the browser signed out until the user clears cookies by hand.
 *
 * <p>A browser replaces a cookie only with one of the same name, domain and path. The gateway knows the name (it is
 * in the request) but not the path or domain the attacker chose. The path is one that matches the current request
 * (otherwise the browser would not have sent the cookie), so the clearing is sent for {@code /} and for each prefix
 * of the request path down to {@value #MAX_DEPTH} segments, with and without the trailing slash. A cookie planted with
 * {@code Domain=} a parent domain cannot be deleted from this host without knowing that domain; it is still never
 * read as the session, and only makes the gateway answer "no session" when it is truly ambiguous.
 *
 * <p>Only names made of cookie-token characters are cleared (a look-alike with non-ASCII letters is ignored, not
 * echoed into a header), and the number of headers is bounded.
 */
public final class TossedCookies {
    static final int MAX_DEPTH = 3;
    static final int MAX_NAMES = 4;
    private static final String ATTRIBUTES = "; Max-Age=0; Secure; HttpOnly; SameSite=Lax";

    private TossedCookies() {
    }

    /**
     * The clearing headers for the imitations of the session cookie in {@code cookieHeaders}, on a request for
     * {@code path} (the canonical path). For two genuine-named cookies with different values (a nameless cookie that
     * looks like the real one), the nameless cookie is cleared too. Empty when nothing was tossed.
     */
    public static List<String> clearing(List<String> cookieHeaders, String path) {
        CookieHeaders.Lookup lookup = CookieHeaders.findGenuine(cookieHeaders, SessionCookie.NAME);
        Set<String> names = new LinkedHashSet<>();
        for (String name : lookup.tossed()) {
            if (isToken(name) && names.size() < MAX_NAMES) {
                names.add(name);
            }
        }
        if (lookup.outcome() == CookieHeaders.Outcome.DUPLICATE) {
            names.add("");
        }
        List<String> headers = new ArrayList<>();
        for (String name : names) {
            for (String cookiePath : paths(path)) {
                // A nameless cookie is replaced by a nameless one: "=value"; its value does not matter.
                headers.add((name.isEmpty() ? "=deleted" : name + "=") + "; Path=" + cookiePath + ATTRIBUTES);
            }
        }
        return headers;
    }

    /** "/" and the prefixes of {@code path} a cookie path could be, for the cookie to be sent with it. */
    static List<String> paths(String path) {
        List<String> paths = new ArrayList<>();
        paths.add("/");
        if (path == null || !path.startsWith("/") || !isSafePath(path)) {
            return paths;
        }
        int depth = 0;
        int slash = path.indexOf('/', 1);
        while (depth < MAX_DEPTH) {
            String segment = slash < 0 ? path : path.substring(0, slash);
            if (segment.length() > 1) {
                paths.add(segment);
            }
            if (slash < 0) {
                break;
            }
            paths.add(path.substring(0, slash + 1));
            depth++;
            slash = path.indexOf('/', slash + 1);
        }
        return List.copyOf(new LinkedHashSet<>(paths));
    }

    private static boolean isSafePath(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "/-._~%!$&'()*+,=:@".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 6265 cookie-name: a token (visible ASCII without separators); "" is the nameless cookie. */
    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
