package org.portcullis.policy;

import java.util.Arrays;
import java.util.Locale;
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
 *   <li>For a request on a {@code paths: case_insensitive} route the engine passes the lower-cased path and
 *       {@link #matches(String[], boolean)} compares it with the lower-cased pattern. Canonical paths are printable
 *       ASCII, so ASCII lower-casing is exactly the folding Windows applies to them.</li>
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
    private final String[] foldedLiterals;
    private final boolean hasAnySegments;

    private PathMatcher(String pattern, Kind[] kinds, String[] literals) {
        this.pattern = pattern;
        this.kinds = kinds;
        this.literals = literals;
        this.foldedLiterals = new String[literals.length];
        for (int i = 0; i < literals.length; i++) {
            foldedLiterals[i] = literals[i].toLowerCase(Locale.ROOT);
        }
        this.hasAnySegments = Arrays.asList(kinds).contains(Kind.ANY);
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
        return matches(pathSegments, false);
    }

    /**
     * @param pathSegments segments of the canonical path, already lower-cased when {@code foldCase} is set
     * @param foldCase     compare with the lower-cased pattern (a {@code paths: case_insensitive} route)
     */
    boolean matches(String[] pathSegments, boolean foldCase) {
        String[] wanted = foldCase ? foldedLiterals : literals;
        return hasAnySegments ? matchWithAnySegments(pathSegments, wanted) : matchLiteralAndOne(pathSegments, wanted);
    }

    /** Without {@code **} every pattern segment consumes exactly one path segment. */
    private boolean matchLiteralAndOne(String[] path, String[] wanted) {
        if (path.length < kinds.length) {
            return false;
        }
        for (int i = 0; i < kinds.length; i++) {
            if (!matchesOne(i, path[i], wanted)) {
                return false;
            }
        }
        return true; // a prefix: whatever follows the pattern is beneath it
    }

    /**
     * With {@code **}: a simulation of all pattern positions reachable after each path segment, O(segments ×
     * pattern length). Backtracking would be exponential in the number of {@code **} and the path comes from the
     * client, so a long path must not be able to make matching slow.
     */
    private boolean matchWithAnySegments(String[] path, String[] wanted) {
        boolean[] active = new boolean[kinds.length + 1];
        active[0] = true;
        closeOverAny(active);
        for (String segment : path) {
            if (active[kinds.length]) {
                return true;
            }
            boolean[] next = new boolean[kinds.length + 1];
            boolean any = false;
            for (int p = 0; p < kinds.length; p++) {
                if (!active[p]) {
                    continue;
                }
                if (kinds[p] == Kind.ANY) {
                    next[p] = true; // ** swallows this segment and may swallow more
                    any = true;
                } else if (matchesOne(p, segment, wanted)) {
                    next[p + 1] = true;
                    any = true;
                }
            }
            if (!any) {
                return false;
            }
            closeOverAny(next);
            active = next;
        }
        return active[kinds.length];
    }

    /** A {@code **} may also match zero segments: whoever stands before it also stands after it. */
    private void closeOverAny(boolean[] active) {
        for (int p = 0; p < kinds.length; p++) {
            if (active[p] && kinds[p] == Kind.ANY) {
                active[p + 1] = true;
            }
        }
    }

    private boolean matchesOne(int p, String segment, String[] wanted) {
        return kinds[p] == Kind.ONE ? !segment.isEmpty() : wanted[p].equals(segment);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
