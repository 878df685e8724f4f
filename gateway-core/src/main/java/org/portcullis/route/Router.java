package org.portcullis.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.portcullis.config.RouteConfig;

/**
 * Picks the route for a canonical host and path. Exact hosts win over wildcards; among routes of the same host
 * the longest {@code path_prefix} wins. Prefixes match on segment boundaries: {@code /app} matches {@code /app} and
 * {@code /app/x} but not {@code /apple}, so a route can never be reached through a look-alike path. Hosts not
 * configured get no route (404): the gateway is never a forward proxy.
 *
 * <p>A route with {@code paths: case_insensitive} (a Windows upstream) matches its prefix the way that upstream
 * reads the path: without case, and with trailing dots and spaces of each segment dropped, so {@code /APP./x} is
 * under {@code path_prefix: /App} and reaches that route, whose policy then refuses the dotted form (SECURITY-RULES
 * 22). Otherwise a spelling the upstream folds into the prefix would slip to another route and its rules.
 */
public final class Router {
    private final List<Candidate> ordered;

    /** A route and the prefix it is matched with: lower-cased when the route's upstream ignores case. */
    private record Candidate(RouteConfig route, String prefix, boolean foldsCase) {
    }

    public Router(List<RouteConfig> routes) {
        List<RouteConfig> copy = new ArrayList<>(routes);
        copy.sort(Comparator
                .comparing((RouteConfig r) -> r.host().isWildcard())
                .thenComparing(r -> -hostSpecificity(r))
                .thenComparing(r -> -r.pathPrefix().length()));
        List<Candidate> candidates = new ArrayList<>();
        for (RouteConfig route : copy) {
            boolean folds = route.paths().foldsCase();
            candidates.add(new Candidate(route, folds ? fold(route.pathPrefix()) : route.pathPrefix(), folds));
        }
        this.ordered = List.copyOf(candidates);
    }

    public Optional<RouteConfig> route(String canonicalHost, String canonicalPath) {
        String folded = null;
        for (Candidate candidate : ordered) {
            if (!candidate.route().host().matches(canonicalHost)) {
                continue;
            }
            String path = canonicalPath;
            if (candidate.foldsCase()) {
                folded = folded == null ? fold(canonicalPath) : folded;
                path = folded;
            }
            if (prefixMatches(candidate.prefix(), path)) {
                return Optional.of(candidate.route());
            }
        }
        return Optional.empty();
    }

    /** True when some route serves {@code canonicalHost}, on whatever path prefix. */
    public boolean servesHost(String canonicalHost) {
        for (Candidate candidate : ordered) {
            if (candidate.route().host().matches(canonicalHost)) {
                return true;
            }
        }
        return false;
    }

    static boolean prefixMatches(String prefix, String path) {
        if (prefix.equals("/") || prefix.equals(path)) {
            return true;
        }
        if (!path.startsWith(prefix)) {
            return false;
        }
        return prefix.endsWith("/") || path.charAt(prefix.length()) == '/';
    }

    /**
     * The path as a Windows upstream reads it, for prefix matching only (never forwarded): lower case, trailing dots
     * and spaces of every segment dropped ({@code /App. /X} → {@code /app/x}).
     */
    static String fold(String canonicalPath) {
        String lower = canonicalPath.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        int segmentStart = 0;
        for (int i = 0; i <= lower.length(); i++) {
            if (i == lower.length() || lower.charAt(i) == '/') {
                int end = i;
                while (end > segmentStart && (lower.charAt(end - 1) == '.' || lower.charAt(end - 1) == ' ')) {
                    end--;
                }
                out.append(lower, segmentStart, end);
                if (i < lower.length()) {
                    out.append('/');
                }
                segmentStart = i + 1;
            }
        }
        return out.toString();
    }

    private static int hostSpecificity(RouteConfig route) {
        return route.host().pattern().length();
    }
}
