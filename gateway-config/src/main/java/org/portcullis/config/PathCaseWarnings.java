package org.portcullis.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.portcullis.config.YamlNode.YamlList;
import org.portcullis.config.YamlNode.YamlMap;

/**
 * Warns where the case of a path in the config means something other than what the author likely thinks, given the
 * routes' {@code paths} setting (SECURITY-RULES 22). On a {@code paths: case_insensitive} route the policy compares
 * paths without case, so:
 * <ul>
 *   <li>two rule paths that differ only by case ({@code /Admin} and {@code /admin}) match the same requests there,
 *       and the earlier rule decides for both;</li>
 *   <li>a rule path with upper-case letters that only reaches case-insensitive routes reads as if case mattered,
 *       and never does;</li>
 *   <li>a case-sensitive route to the same upstream as a case-insensitive one is a second door into that upstream
 *       on which {@code /ADMIN} is not {@code /admin}.</li>
 * </ul>
 * Warnings, not errors: the config still means something definite. A rule reaches a route when their hosts overlap
 * (a rule without {@code hosts} reaches every route); path prefixes are not considered, so a warning may name a
 * route the rule's paths never reach.
 */
final class PathCaseWarnings {
    private final Problems problems;

    PathCaseWarnings(Problems problems) {
        this.problems = problems;
    }

    void warn(List<RouteConfig> routes, YamlNode routesNode, List<AccessRule> rules, YamlNode accessControlNode) {
        warnSharedUpstreams(routes, items(routesNode));
        List<YamlNode> ruleNodes = items(child(accessControlNode, AccessControlValidator.RULES));
        if (ruleNodes.size() != rules.size()) {
            return; // the rules were built from these nodes; anything else is a config that failed to load anyway
        }
        List<PathEntry> entries = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            AccessRule rule = rules.get(r);
            List<YamlNode> pathNodes = items(child(ruleNodes.get(r), AccessControlValidator.PATHS));
            if (pathNodes.size() != rule.paths().size()) {
                continue;
            }
            List<RouteConfig> reached = routes.stream().filter(route -> reaches(rule, route)).toList();
            for (int p = 0; p < pathNodes.size(); p++) {
                entries.add(new PathEntry(rule.paths().get(p).pattern(), pathNodes.get(p), reached));
            }
        }
        for (int later = 0; later < entries.size(); later++) {
            PathEntry entry = entries.get(later);
            if (!warnCaseVariant(entries, later)) {
                warnUpperCaseNeverMatters(entry);
            }
        }
    }

    /** A rule path with its node and the routes its rule reaches. */
    private record PathEntry(String pattern, YamlNode node, List<RouteConfig> routes) {
    }

    private boolean warnCaseVariant(List<PathEntry> entries, int later) {
        PathEntry entry = entries.get(later);
        for (int earlier = 0; earlier < later; earlier++) {
            PathEntry other = entries.get(earlier);
            if (other.pattern().equals(entry.pattern()) || !other.pattern().equalsIgnoreCase(entry.pattern())) {
                continue;
            }
            for (RouteConfig route : entry.routes()) {
                if (route.paths().foldsCase() && other.routes().contains(route)) {
                    problems.warning(entry.node(), Messages.rulePathCaseVariant(entry.pattern(), other.pattern(),
                            other.node().path(), route.name()));
                    return true;
                }
            }
        }
        return false;
    }

    private void warnUpperCaseNeverMatters(PathEntry entry) {
        boolean upper = !entry.pattern().equals(entry.pattern().toLowerCase(Locale.ROOT));
        if (upper && !entry.routes().isEmpty() && entry.routes().stream().allMatch(r -> r.paths().foldsCase())) {
            problems.warning(entry.node(), Messages.rulePathCaseNeverMatters(entry.pattern(),
                    entry.routes().stream().map(RouteConfig::name).toList()));
        }
    }

    private void warnSharedUpstreams(List<RouteConfig> routes, List<YamlNode> nodes) {
        if (nodes.size() != routes.size()) {
            return;
        }
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig route = routes.get(i);
            if (route.paths().foldsCase()) {
                continue;
            }
            for (int j = 0; j < routes.size(); j++) {
                RouteConfig other = routes.get(j);
                if (other.paths().foldsCase() && other.upstream().equals(route.upstream())) {
                    problems.warning(nodes.get(i), Messages.sharedUpstreamCaseSensitive(route.name(), other.name(),
                            nodes.get(j).path()));
                    break;
                }
            }
        }
    }

    /** True when some host the rule matches can be served by the route. */
    static boolean reaches(AccessRule rule, RouteConfig route) {
        if (rule.hosts().isEmpty()) {
            return true;
        }
        return rule.hosts().stream().anyMatch(host -> overlap(host, route.host()));
    }

    private static boolean overlap(HostPattern a, HostPattern b) {
        if (!a.isWildcard()) {
            return b.matches(a.pattern());
        }
        if (!b.isWildcard()) {
            return a.matches(b.pattern());
        }
        return a.isCoveredBy(b) || b.isCoveredBy(a);
    }

    private static YamlNode child(YamlNode node, String key) {
        if (node instanceof YamlMap map && map.entries().containsKey(key)) {
            return map.entries().get(key).value();
        }
        return null;
    }

    private static List<YamlNode> items(YamlNode node) {
        return node instanceof YamlList list ? list.items() : List.of();
    }
}
