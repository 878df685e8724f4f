package org.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One access rule. An empty list means "any" for that field. {@code subjects} is an OR of ANDs.
 *
 * @param name         the rule's {@code id}, or {@code rule #N} (1-based position) when it has none
 * @param hosts        host patterns; empty = any host
 * @param paths        path patterns; empty = any path
 * @param methods      upper-case methods; empty = any method
 * @param networks     source networks; empty = any source
 * @param subjects     OR of ANDs of user/group terms; empty = anyone (including anonymous)
 * @param policy       what the rule demands
 * @param factors      second factors that satisfy a two_factor rule (both by default)
 * @param maxFactorAge step-up: the second factor must be younger than this, or null for no limit
 * @param exception    the id of the {@code access_control.exceptions} entry that approves a rule weaker than two
 *                     factors, or null
 * @param minimumStrength the weakest second factor a two_factor rule accepts ({@link FactorStrength}), or null for
 *                     whatever {@code factors} allows
 */
public record AccessRule(
        String name,
        List<HostPattern> hosts,
        List<PathPattern> paths,
        Set<String> methods,
        List<NetworkRef> networks,
        List<List<Subject>> subjects,
        PolicyKind policy,
        Set<SecondFactor> factors,
        Duration maxFactorAge,
        String exception,
        FactorStrength minimumStrength) {

    public AccessRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        hosts = List.copyOf(hosts);
        paths = List.copyOf(paths);
        methods = Set.copyOf(methods);
        networks = List.copyOf(networks);
        subjects = subjects.stream().map(List::copyOf).toList();
        factors = Set.copyOf(factors);
    }

    /** A rule with no exception and no minimum strength (the shape before the exception register). */
    public AccessRule(String name, List<HostPattern> hosts, List<PathPattern> paths, Set<String> methods,
                      List<NetworkRef> networks, List<List<Subject>> subjects, PolicyKind policy,
                      Set<SecondFactor> factors, Duration maxFactorAge) {
        this(name, hosts, paths, methods, networks, subjects, policy, factors, maxFactorAge, null, null);
    }

    /** True when the rule lets a request through with less than two factors: it needs an approved exception. */
    public boolean isWeak() {
        return policy == PolicyKind.BYPASS || policy == PolicyKind.ONE_FACTOR;
    }
}
