package org.portcullis.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.portcullis.config.RouteConfig;

/**
 * Picks the route for a canonical host and path. Exact hosts win over wildcards; among routes of the same host
 * the longest {@code path_prefix} wins. Prefixes match on segment boundaries: {@code /app} matches {@code /app} and
 * {@code /app/x} but not {@code /apple}, so a route can never be reached through a look-alike path. Hosts not
 * configured get no route (404): the gateway is never a forward proxy.
 */
public final class Router {
    private final List<RouteConfig> ordered;

    public Router(List<RouteConfig> routes) {
        List<RouteConfig> copy = new ArrayList<>(routes);
        copy.sort(Comparator
                .comparing((RouteConfig r) -> r.host().isWildcard())
                .thenComparing(r -> -hostSpecificity(r))
                .thenComparing(r -> -r.pathPrefix().length()));
        this.ordered = List.copyOf(copy);
    }

    public Optional<RouteConfig> route(String canonicalHost, String canonicalPath) {
        for (RouteConfig route : ordered) {
            if (route.host().matches(canonicalHost) && prefixMatches(route.pathPrefix(), canonicalPath)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** True when some route serves {@code canonicalHost}, on whatever path prefix. */
    public boolean servesHost(String canonicalHost) {
        for (RouteConfig route : ordered) {
            if (route.host().matches(canonicalHost)) {
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

    private static int hostSpecificity(RouteConfig route) {
        return route.host().pattern().length();
    }
}
