package org.portcullis.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reading, stripping and recognising the gateway's cookies in {@code Cookie} and {@code Set-Cookie} headers, one set of
 * rules for the session cookie ({@link SessionCookie}) and the portal's CSRF cookie: pairs split at ';', whitespace around names and values ignored (RFC 6265bis §5.4); every pair whose name equals the
 * cookie's ignoring case, also after a stray leading '=', is an occurrence; two or more are a duplicate (cookie
 * tossing); one counts only with the exact name; control bytes anywhere make the header malformed.
 */
public final class CookieHeaders {

    public enum Outcome { ABSENT, FOUND, DUPLICATE, MALFORMED }

    /** What the {@code Cookie} headers hold for one name; {@code value} is set only for {@link Outcome#FOUND}. */
    public record Lookup(Outcome outcome, String value) {
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

    public static Lookup find(List<String> cookieHeaders, String name) {
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
    public static Optional<String> strip(String cookieHeader, String name) {
        return strip(cookieHeader, candidate -> candidate.equalsIgnoreCase(name));
    }

    /** The header without any pair whose name {@code drop} accepts; empty to drop the header. */
    public static Optional<String> strip(String cookieHeader, Predicate<String> drop) {
        String[] pairs = cookieHeader.split(";", -1);
        List<String> kept = new ArrayList<>(pairs.length);
        for (String pair : pairs) {
            if (!drop.test(pairName(pair))) {
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
    public static boolean setsCookie(String setCookieValue, String name) {
        return setsCookie(setCookieValue, candidate -> candidate.equalsIgnoreCase(name));
    }

    /** True if a {@code Set-Cookie} value sets a cookie whose name {@code names} accepts. */
    public static boolean setsCookie(String setCookieValue, Predicate<String> names) {
        int semicolon = setCookieValue.indexOf(';');
        return names.test(pairName(semicolon < 0 ? setCookieValue : setCookieValue.substring(0, semicolon)));
    }

    private static boolean hasName(String pair, String name) {
        // equalsIgnoreCase folds per character, also non-ASCII look-alikes such as U+017F (long s) that some
        // frameworks fold to 's': counting too much as the gateway's cookie only strips and refuses more.
        return pairName(pair).equalsIgnoreCase(name);
    }

    /** The pair's name, ignoring surrounding whitespace and a stray leading {@code =} (the nameless form). */
    static String pairName(String pair) {
        String rest = trimOws(pair);
        int start = 0;
        while (start < rest.length() && (rest.charAt(start) == '=' || isOws(rest.charAt(start)))) {
            start++;
        }
        int equals = rest.indexOf('=', start);
        return trimOws(equals < 0 ? rest.substring(start) : rest.substring(start, equals));
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
