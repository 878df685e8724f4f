package org.portcullis.ingress;

import java.util.Collection;
import java.util.Locale;

/**
 * An immutable set of header names matched the way a lenient upstream might read them: ASCII case-insensitively, and
 * with every character that is not a letter or digit treated as '-'. So {@code Remote_User}, {@code REMOTE-USER} and
 * {@code remote.user} are one name: CGI, PHP and many frameworks turn '-' into '_' (and some any odd byte), which is
 * how a client smuggles {@code Remote_User} past a proxy that only strips {@code Remote-User} (SECURITY-RULES 6).
 *
 * <p>Lookups hash the candidate {@link CharSequence} in place and allocate nothing, because every header of every
 * request goes through here.
 *
 * <p>Public for {@code org.portcullis.upstream.IdentityHeaderWriter}, which strips the same spellings again per route.
 */
public final class HeaderNameSet {
    private final String[] table;
    private final int mask;

    public HeaderNameSet(Collection<String> names) {
        int capacity = Integer.highestOneBit(Math.max(4, names.size() * 3)) << 1;
        table = new String[capacity];
        mask = capacity - 1;
        for (String name : names) {
            String normalized = normalize(name);
            int slot = hash(normalized) & mask;
            while (table[slot] != null && !table[slot].equals(normalized)) {
                slot = (slot + 1) & mask;
            }
            table[slot] = normalized;
        }
    }

    public boolean contains(CharSequence name) {
        int slot = hash(name) & mask;
        String candidate;
        while ((candidate = table[slot]) != null) {
            if (normalizedEquals(candidate, name)) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    /** True when {@code name} starts with {@code normalizedPrefix} (already normalised) after normalisation. */
    public static boolean hasNormalizedPrefix(CharSequence name, String normalizedPrefix) {
        if (name.length() < normalizedPrefix.length()) {
            return false;
        }
        for (int i = 0; i < normalizedPrefix.length(); i++) {
            if (normalize(name.charAt(i)) != normalizedPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean normalizedEquals(String normalized, CharSequence name) {
        if (normalized.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < normalized.length(); i++) {
            if (normalized.charAt(i) != normalize(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            out.append(normalize(name.charAt(i)));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    static char normalize(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + ('a' - 'A'));
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            return c;
        }
        return '-';
    }

    private static int hash(CharSequence name) {
        int h = 0;
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + normalize(name.charAt(i));
        }
        return h ^ (h >>> 16);
    }
}
