package org.portcullis.config;

import java.util.regex.Pattern;

/**
 * Route path prefixes, rule path patterns and method tokens. Paths in the config must already be in the canonical
 * form the ingress produces (SECURITY-RULES 2): a prefix that could never equal a canonical path (one with
 * {@code //}, {@code ..}, {@code %}, {@code ;}) would silently never match, so it is an error instead.
 */
final class PathSyntax {
    private static final String ANY_SEGMENT = "*";
    private static final String ANY_SEGMENTS = "**";
    /** RFC 9110 §5.6.2 {@code token}. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    private PathSyntax() {
    }

    static boolean isPathPrefix(String path) {
        return isCanonicalPath(path) && path.indexOf('*') < 0;
    }

    /** Like a prefix, but a whole segment may be {@code *} (one segment) or {@code **} (any number). */
    static boolean isRulePath(String path) {
        if (!isCanonicalPath(path)) {
            return false;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.indexOf('*') >= 0 && !segment.equals(ANY_SEGMENT) && !segment.equals(ANY_SEGMENTS)) {
                return false;
            }
        }
        return true;
    }

    static boolean isMethodToken(String method) {
        return TOKEN.matcher(method).matches();
    }

    private static boolean isCanonicalPath(String path) {
        if (!path.startsWith("/") || path.contains("..") || path.contains("//")) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == '?' || c == '#' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
