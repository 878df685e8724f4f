package org.portcullis.coverage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.portcullis.config.AccessControlConfig;
import org.portcullis.config.AccessRule;
import org.portcullis.config.ExceptionEntry;
import org.portcullis.config.ExpiredExceptions;
import org.portcullis.config.FactorStrength;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.NetworkRef;
import org.portcullis.config.PathPattern;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.ProtectedHosts;
import org.portcullis.config.ProtectedRef;
import org.portcullis.config.RouteConfig;
import org.portcullis.config.SecondFactor;

/**
 * The routes of a config as protected systems. For each route, every rule that can decide some request to it (its
 * hosts reach the route's host and one of its paths can fall under the route's path prefix), in order, up to the first
 * rule that matches every request to the route; when there is none such, {@code default_policy} closes the list.
 * Conservative: a rule is listed when it might apply (a path of another route on the same host included), never
 * left out when it can.
 */
final class RouteSystems implements ProtectedSystemSource {

    @Override
    public List<ProtectedSystem> systems(GatewayConfig config, Instant now) {
        List<ProtectedSystem> systems = new ArrayList<>();
        for (RouteConfig route : config.routes()) {
            systems.add(new ProtectedSystem(new ProtectedRef(ProtectedRef.Kind.ROUTE, route.name()),
                    route.host() + route.pathPrefix(), guards(config.accessControl(), route, now)));
        }
        return systems;
    }

    static List<Guard> guards(AccessControlConfig policy, RouteConfig route, Instant now) {
        List<Guard> guards = new ArrayList<>();
        boolean foldCase = route.paths().foldsCase();
        for (AccessRule rule : policy.rules()) {
            if (!ProtectedHosts.reaches(rule, route.host()) || !pathsReach(rule.paths(), route.pathPrefix(), foldCase)) {
                continue;
            }
            guards.add(guard(policy, rule, now));
            if (coversWholeRoute(rule, route)) {
                return guards;
            }
        }
        PolicyKind fallback = policy.defaultPolicy();
        guards.add(new Guard("default_policy", fallback, factorNames(fallback, List.of()),
                FactorStrength.ofRule(fallback, java.util.Set.of()).orElse(null), null, ExceptionState.NONE, ""));
        return guards;
    }

    static Guard guard(AccessControlConfig policy, AccessRule rule, Instant now) {
        List<SecondFactor> accepted = rule.factors().stream()
                .filter(f -> rule.minimumStrength() == null || FactorStrength.of(f).atLeast(rule.minimumStrength()))
                .toList();
        FactorStrength strength = FactorStrength.ofRule(rule.policy(), java.util.Set.copyOf(accepted)).orElse(null);
        return new Guard(rule.name(), rule.policy(), factorNames(rule.policy(), accepted), strength,
                rule.exception(), state(policy, rule, now), condition(rule));
    }

    static ExceptionState state(AccessControlConfig policy, AccessRule rule, Instant now) {
        Optional<ExceptionEntry> entry = policy.exceptionOf(rule);
        if (entry.isEmpty()) {
            return ExceptionState.NONE;
        }
        if (entry.get().lapsedAt(now)) {
            return policy.exceptionsExpired() == ExpiredExceptions.WARN ? ExceptionState.LAPSED_KEPT
                    : ExceptionState.LAPSED_DENIED;
        }
        return entry.get().reviewDueAt(now) ? ExceptionState.REVIEW_DUE : ExceptionState.VALID;
    }

    private static List<String> factorNames(PolicyKind policy, List<SecondFactor> factors) {
        if (policy != PolicyKind.TWO_FACTOR) {
            return List.of();
        }
        List<SecondFactor> all = factors.isEmpty() ? List.of(SecondFactor.values()) : factors;
        return all.stream().map(SecondFactor::yamlName).sorted().toList();
    }

    private static String condition(AccessRule rule) {
        List<String> parts = new ArrayList<>();
        if (!rule.paths().isEmpty()) {
            parts.add("paths " + rule.paths().stream().map(PathPattern::pattern).toList());
        }
        if (!rule.methods().isEmpty()) {
            parts.add("methods " + rule.methods().stream().sorted().toList());
        }
        if (!rule.networks().isEmpty()) {
            parts.add("networks " + rule.networks().stream().map(NetworkRef::label).toList());
        }
        if (!rule.subjects().isEmpty()) {
            parts.add("subjects " + rule.subjects());
        }
        return String.join(", ", parts);
    }

    /** A rule with nothing narrowing it within the route: no later rule and no default can be reached. */
    private static boolean coversWholeRoute(AccessRule rule, RouteConfig route) {
        boolean allHosts = rule.hosts().isEmpty() || rule.hosts().stream().anyMatch(route.host()::isCoveredBy);
        boolean allPaths = rule.paths().isEmpty() || rule.paths().stream().anyMatch(p -> p.pattern().equals("/**"));
        return allHosts && allPaths && rule.methods().isEmpty() && rule.networks().isEmpty()
                && rule.subjects().isEmpty();
    }

    /** Whether some path under {@code prefix} can match one of {@code patterns} (empty: every path). */
    static boolean pathsReach(List<PathPattern> patterns, String prefix, boolean foldCase) {
        if (patterns.isEmpty()) {
            return true;
        }
        String base = foldCase ? prefix.toLowerCase(Locale.ROOT) : prefix;
        for (PathPattern pattern : patterns) {
            String literal = literalPart(foldCase ? pattern.pattern().toLowerCase(Locale.ROOT) : pattern.pattern());
            if (segmentPrefix(literal, base) || segmentPrefix(base, literal)) {
                return true;
            }
        }
        return false;
    }

    /** The pattern up to its first segment with a wildcard. */
    private static String literalPart(String pattern) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern;
        }
        int slash = pattern.lastIndexOf('/', star);
        return slash <= 0 ? "/" : pattern.substring(0, slash);
    }

    private static boolean segmentPrefix(String prefix, String path) {
        if (prefix.equals("/") || prefix.equals(path)) {
            return true;
        }
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        return path.startsWith(p);
    }

}
