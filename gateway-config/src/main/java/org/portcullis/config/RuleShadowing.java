package org.portcullis.config;

import java.util.HashSet;
import java.util.List;

/**
 * Finds access rules that can never match because an earlier rule matches every request they match (first match
 * wins). Such a rule is almost always an ordering mistake, for example a {@code two_factor} rule for {@code /admin/**}
 * written after a {@code one_factor} rule for the whole host. It is a warning, not an error, because the config still
 * means something definite; the check is conservative and may miss some shadowed rules, but never names a rule that
 * can match.
 */
final class RuleShadowing {
    private static final String ALL_PATHS = "/**";

    private final Problems problems;

    RuleShadowing(Problems problems) {
        this.problems = problems;
    }

    void warn(List<AccessRule> rules, List<YamlNode> nodes) {
        for (int later = 1; later < rules.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                if (covers(rules.get(earlier), rules.get(later))) {
                    problems.warning(nodes.get(later), Messages.ruleShadowed(describe(rules.get(later)),
                            describe(rules.get(earlier)), nodes.get(earlier).path()));
                    break;
                }
            }
        }
    }

    /** True when every request {@code later} matches is matched by {@code earlier}. Empty fields mean "any". */
    static boolean covers(AccessRule earlier, AccessRule later) {
        return earlier.subjects().isEmpty()
                && coversHosts(earlier.hosts(), later.hosts())
                && coversPaths(earlier.paths(), later.paths())
                && (earlier.methods().isEmpty()
                        || (!later.methods().isEmpty() && earlier.methods().containsAll(later.methods())))
                && coversNetworks(earlier.networks(), later.networks());
    }

    private static boolean coversHosts(List<HostPattern> earlier, List<HostPattern> later) {
        if (earlier.isEmpty()) {
            return true;
        }
        return !later.isEmpty() && later.stream().allMatch(l -> earlier.stream().anyMatch(l::isCoveredBy));
    }

    /** Path patterns overlap in ways too subtle to decide here, so only the obvious cases count. */
    private static boolean coversPaths(List<PathPattern> earlier, List<PathPattern> later) {
        if (earlier.isEmpty() || earlier.stream().anyMatch(p -> p.pattern().equals(ALL_PATHS))) {
            return true;
        }
        return !later.isEmpty() && new HashSet<>(earlier).equals(new HashSet<>(later));
    }

    private static boolean coversNetworks(List<NetworkRef> earlier, List<NetworkRef> later) {
        if (earlier.isEmpty()) {
            return true;
        }
        if (later.isEmpty()) {
            return false;
        }
        List<Cidr> earlierCidrs = earlier.stream().flatMap(n -> n.cidrs().stream()).toList();
        return later.stream().flatMap(n -> n.cidrs().stream())
                .allMatch(l -> earlierCidrs.stream().anyMatch(e -> e.covers(l)));
    }

    /** {@code rule 'lb-health'} for a rule with an id, {@code rule #3} for one without. */
    static String describe(AccessRule rule) {
        return rule.name().startsWith("rule #") ? rule.name() : "rule '" + rule.name() + "'";
    }
}
