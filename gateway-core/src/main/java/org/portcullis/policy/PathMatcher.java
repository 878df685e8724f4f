package org.portcullis.policy;

import java.util.Objects;
import org.portcullis.config.PathPattern;

/**
 * A compiled {@code paths} entry, matched segment by segment against canonical decoded paths.
 *
 * <ul>
 *   <li>A pattern is a prefix on segment boundaries: {@code /admin} matches {@code /admin}, {@code /admin/} and
 *       {@code /admin/x}, never {@code /administrator}.</li>
 *   <li>{@code *} as a whole segment matches exactly one non-empty segment; {@code **} matches zero or more
 *       segments, so {@code /admin/**} matches what {@code /admin} matches, and {@code /api/**}{@code /health}
 *       matches {@code /api/health} and {@code /api/v1/x/health}.</li>
 *   <li>A trailing slash changes nothing, on either side: {@code /admin/} (pattern or path) is {@code /admin}.</li>
 *   <li>Literal segments compare case-sensitively (RFC 3986 §6.2.2.1: the path is case-sensitive); a {@code *} inside
 *       a segment ({@code /admin*}) is not a wildcard and is refused when the rule is compiled.</li>
 * </ul>
 * The query never takes part (SECURITY-RULES 2): the engine is only ever given the path.
 */
final class PathMatcher {

    private static final String ONE_SEGMENT = "*";
    private static final String ANY_SEGMENTS = "**";

    private enum Kind { LITERAL, ONE, ANY }

    private final String pattern;
    private final Kind[] kinds;
    private final String[] literals;

    private PathMatcher(String pattern, Kind[] kinds, String[] literals) {
        this.pattern = pattern;
        this.kinds = kinds;
        this.literals = literals;
    }

    /** @throws IllegalArgumentException naming the pattern when it is not a canonical path pattern */
    static PathMatcher compile(PathPattern pathPattern) {
        String pattern = Objects.requireNonNull(pathPattern, "pathPattern").pattern();
        String problem = problemWith(pattern);
        if (problem != null) {
            throw new IllegalArgumentException("path pattern '" + pattern + "' " + problem);
        }
        String[] segments = segmentsOf(pattern);
        Kind[] kinds = new Kind[segments.length];
        for (int i = 0; i < segments.length; i++) {
            kinds[i] = ANY_SEGMENTS.equals(segments[i]) ? Kind.ANY
                    : ONE_SEGMENT.equals(segments[i]) ? Kind.ONE
                    : Kind.LITERAL;
        }
        return new PathMatcher(pattern, kinds, segments);
    }

    /** Why {@code pattern} is not a usable path pattern, or null when it is. */
    static String problemWith(String pattern) {
        if (!pattern.startsWith("/")) {
            return "must start with '/'";
        }
        if (pattern.contains("//")) {
            return "must not contain '//'";
        }
        for (String segment : segmentsOf(pattern)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "must not contain '.' or '..' segments";
            }
            if (segment.indexOf('*') >= 0 && !segment.equals(ONE_SEGMENT) && !segment.equals(ANY_SEGMENTS)) {
                return "may use '*' and '**' only as whole segments";
            }
        }
        return null;
    }

    /** The segments of a canonical path: {@code /} has none, and a trailing slash adds none. */
    static String[] segmentsOf(String canonicalPath) {
        if (canonicalPath.length() <= 1) {
            return new String[0];
        }
        // String.split on one ordinary character takes the fast path and drops the trailing empty segment.
        return canonicalPath.substring(1).split("/");
    }

    boolean matches(String[] pathSegments) {
        return matchFrom(0, pathSegments, 0);
    }

    private boolean matchFrom(int p, String[] path, int s) {
        while (p < kinds.length) {
            switch (kinds[p]) {
                case ANY:
                    for (int skip = s; skip <= path.length; skip++) {
                        if (matchFrom(p + 1, path, skip)) {
                            return true;
                        }
                    }
                    return false;
                case ONE:
                    if (s >= path.length || path[s].isEmpty()) {
                        return false;
                    }
                    break;
                default:
                    if (s >= path.length || !literals[p].equals(path[s])) {
                        return false;
                    }
            }
            p++;
            s++;
        }
        return true; // a prefix: whatever follows the pattern is beneath it
    }

    @Override
    public String toString() {
        return pattern;
    }
}
