package org.portcullis.portal.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading, stripping and recognising one named gateway cookie, with the same rules as
 * {@link org.portcullis.session.SessionCookie} (whose helpers are private; that class is left as it is):
 * pairs split at ';', whitespace around names and values ignored (RFC 6265bis §5.4); every pair whose name equals the
 * cookie's ignoring case, also after a stray leading '=', is an occurrence; two or more are a duplicate (cookie
 * tossing); one counts only with the exact name; control bytes anywhere make the header malformed.
 */
final class CookieHeaders {

    enum Outcome { ABSENT, FOUND, DUPLICATE, MALFORMED }

    /** What the {@code Cookie} headers hold for one name; {@code value} is set only for {@link Outcome#FOUND}. */
    record Lookup(Outcome outcome, String value) {
        static Lookup none(Outcome outcome) {
            return new Lookup(outcome, null);
        }

        @Override
        public String toString() {
            return "Lookup[" + outcome + "]";
        }
    }

    private CookieHeaders() {
    }

    static Lookup find(List<String> cookieHeaders, String name) {
        int occurrences = 0;
        String exactValue = null;
        for (String header : cookieHeaders) {
            if (header == null || hasControlBytes(header)) {
                return Lookup.none(Outcome.MALFORMED);
            }
            for (String pair : header.split(";", -1)) {
                if (!hasName(pair, name)) {
                    continue;
                }
                occurrences++;
                exactValue = exactValue(pair, name);
            }
        }
        if (occurrences == 0) {
            return Lookup.none(Outcome.ABSENT);
        }
        if (occurrences > 1) {
            return Lookup.none(Outcome.DUPLICATE);
        }
        return exactValue == null ? Lookup.none(Outcome.MALFORMED) : new Lookup(Outcome.FOUND, exactValue);
    }

    /** The header without any pair named {@code name} (any case); empty to drop the header. */
    static Optional<String> strip(String cookieHeader, String name) {
        String[] pairs = cookieHeader.split(";", -1);
        List<String> kept = new ArrayList<>(pairs.length);
        for (String pair : pairs) {
            if (!hasName(pair, name)) {
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

    /** True if a {@code Set-Cookie} value names {@code name} (any case, also as a nameless cookie). */
    static boolean setsCookie(String setCookieValue, String name) {
        int semicolon = setCookieValue.indexOf(';');
        return hasName(semicolon < 0 ? setCookieValue : setCookieValue.substring(0, semicolon), name);
    }

    private static boolean hasName(String pair, String name) {
        String rest = trimOws(pair);
        int start = 0;
        while (start < rest.length() && (rest.charAt(start) == '=' || isOws(rest.charAt(start)))) {
            start++;
        }
        int equals = rest.indexOf('=', start);
        String candidate = trimOws(equals < 0 ? rest.substring(start) : rest.substring(start, equals));
        return candidate.equalsIgnoreCase(name);
    }

    private static String exactValue(String pair, String name) {
        String trimmed = trimOws(pair);
        int equals = trimmed.indexOf('=');
        if (equals < 0 || !trimOws(trimmed.substring(0, equals)).equals(name)) {
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
