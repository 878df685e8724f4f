package org.portcullis.session;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reading, stripping and recognising the gateway's cookies in {@code Cookie} and {@code Set-Cookie} headers, one set of
 * rules for the session cookie ({@link SessionCookie}, {@link #findGenuine}) and the portal's CSRF cookie
 * ({@link #find}). Pairs are split at ';' and the whitespace around names and values is ignored (RFC 6265bis §5.4);
 * control bytes anywhere make the header malformed.
 *
 * <h2>Genuine and tossed</h2>
 * A pair whose name is exactly the cookie's name is <em>genuine</em>: with the {@code __Host-} prefix only this host can
 * have set it (Path=/, no Domain). A pair that only imitates it is <em>tossed</em>: the name in another letter case
 * ({@code __HOST-portcullis}, which a sibling host can set with {@code Domain=} and any {@code Path} in browsers that
 * check the prefix case-sensitively), or a nameless cookie ({@code =__Host-portcullis=…}, or the bare name without
 * '='). A tossed pair is never read as the cookie, and is reported ({@link Lookup#tossed}) so the gateway can clear it.
 * <ul>
 *   <li>no genuine pair: {@link Outcome#ABSENT}, or {@link Outcome#MALFORMED} if tossed ones are there;</li>
 *   <li>genuine pairs all with one value: {@link Outcome#FOUND} with it, whatever was tossed beside it (a tossed
 *       cookie must not sign the real one out);</li>
 *   <li>genuine pairs with different values: {@link Outcome#DUPLICATE}, true ambiguity (a browser that serialises a
 *       nameless cookie {@code =__Host-portcullis=x} as {@code __Host-portcullis=x}): neither is used.</li>
 * </ul>
 */
public final class CookieHeaders {

    public enum Outcome { ABSENT, FOUND, DUPLICATE, MALFORMED }

    /**
     * What the {@code Cookie} headers hold for one name; {@code value} is set only for {@link Outcome#FOUND}.
     * {@code tossed} are the names of the imitations seen, as a browser stores them ("" for a nameless cookie).
     */
    public record Lookup(Outcome outcome, String value, List<String> tossed) {
        public Lookup {
            tossed = List.copyOf(tossed);
        }

        static Lookup none(Outcome outcome) {
            return new Lookup(outcome, null, List.of());
        }

        @Override
        public String toString() {
            return "Lookup[" + outcome + ", " + tossed.size() + " tossed]";
        }
    }

    private CookieHeaders() {
    }

    /** The session cookie's reading: the one genuine cookie, imitations reported, true ambiguity refused. */
    public static Lookup findGenuine(List<String> cookieHeaders, String name) {
        Optional<List<String>> pairs = pairsNamed(cookieHeaders, name);
        if (pairs.isEmpty()) {
            return Lookup.none(Outcome.MALFORMED);
        }
        if (pairs.get().size() == 1) {
            // The common case, one pair with the exact name: what the sets below would say, without making them.
            String exact = exactValue(pairs.get().get(0), name);
            if (exact != null) {
                return new Lookup(Outcome.FOUND, exact, List.of());
            }
        }
        Set<String> genuine = new LinkedHashSet<>();
        Set<String> tossed = new LinkedHashSet<>();
        for (String pair : pairs.get()) {
            String exact = exactValue(pair, name);
            if (exact != null) {
                genuine.add(exact);
            } else {
                tossed.add(storedName(pair));
            }
        }
        List<String> imitations = List.copyOf(tossed);
        if (genuine.isEmpty()) {
            return new Lookup(imitations.isEmpty() ? Outcome.ABSENT : Outcome.MALFORMED, null, imitations);
        }
        if (genuine.size() > 1) {
            return new Lookup(Outcome.DUPLICATE, null, imitations);
        }
        return new Lookup(Outcome.FOUND, genuine.iterator().next(), imitations);
    }

    /**
     * The strict reading the portal's CSRF cookie uses: every pair whose name equals {@code name} ignoring case (also
     * a nameless imitation) is an occurrence, two or more are {@link Outcome#DUPLICATE}, one counts only with the
     * exact name. A CSRF cookie is re-issued with every form, so refusing on an imitation costs a reload, not a
     * sign-out.
     */
    public static Lookup find(List<String> cookieHeaders, String name) {
        Optional<List<String>> pairs = pairsNamed(cookieHeaders, name);
        if (pairs.isEmpty()) {
            return Lookup.none(Outcome.MALFORMED);
        }
        if (pairs.get().isEmpty()) {
            return Lookup.none(Outcome.ABSENT);
        }
        if (pairs.get().size() > 1) {
            return Lookup.none(Outcome.DUPLICATE);
        }
        String exactValue = exactValue(pairs.get().get(0), name);
        return exactValue == null ? Lookup.none(Outcome.MALFORMED) : new Lookup(Outcome.FOUND, exactValue, List.of());
    }

    /**
     * Every pair of the headers whose name equals {@code name} ignoring case (nameless imitations included), in order;
     * empty when a header is missing or holds control bytes (the whole lookup is then malformed).
     */
    private static Optional<List<String>> pairsNamed(List<String> cookieHeaders, String name) {
        List<String> named = new ArrayList<>();
        for (String header : cookieHeaders) {
            if (header == null || hasControlBytes(header)) {
                return Optional.empty();
            }
            for (String pair : header.split(";", -1)) {
                if (hasName(pair, name)) {
                    named.add(pair);
                }
            }
        }
        return Optional.of(named);
    }

    /**
     * The name a browser stored a tossed pair under: its name as written, or "" for the nameless forms (a leading
     * '=', or no '=' at all, which is how a nameless cookie is sent).
     */
    private static String storedName(String pair) {
        String trimmed = trimOws(pair);
        int equals = trimmed.indexOf('=');
        return equals <= 0 ? "" : trimOws(trimmed.substring(0, equals));
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
