package org.portcullis.coverage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.portcullis.config.AccessControlConfig;
import org.portcullis.config.AccessRule;
import org.portcullis.config.ExceptionEntry;
import org.portcullis.config.FactorStrength;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.SecondFactor;

/**
 * The {@code strength:} and {@code exception:} lines {@code policy check} prints for the deciding rule: the grade of
 * the weakest factor the rule accepts ({@link FactorStrength}) and, for a rule that names one, its exception and where
 * it stands today.
 */
public final class StrengthText {
    private StrengthText() {
    }

    /** The lines for the rule named {@code ruleName} ({@code default_policy} included); none for another name. */
    public static List<String> lines(AccessControlConfig policy, String ruleName, Instant now) {
        List<String> lines = new ArrayList<>();
        if ("default_policy".equals(ruleName)) {
            lines.add("strength: " + describe(policy.defaultPolicy(), Set.of(), null));
            return lines;
        }
        Optional<AccessRule> found = policy.rules().stream().filter(r -> r.name().equals(ruleName)).findFirst();
        if (found.isEmpty()) {
            return lines;
        }
        AccessRule rule = found.get();
        lines.add("strength: " + describe(rule.policy(), rule.factors(), rule.minimumStrength()));
        Optional<ExceptionEntry> entry = policy.exceptionOf(rule);
        if (entry.isPresent()) {
            lines.add("exception: " + entry.get().id() + " (" + RouteSystems.state(policy, rule, now).label()
                    + ", review by " + entry.get().reviewBy() + ", approved by " + entry.get().approver() + ")");
        }
        return lines;
    }

    static String describe(PolicyKind policy, Set<SecondFactor> factors, FactorStrength minimum) {
        switch (policy) {
            case BYPASS:
                return "none (bypass: no sign-in)";
            case ONE_FACTOR:
                return "weak (a password alone)";
            case DENY:
                return "- (deny: nobody gets through)";
            default:
                Set<SecondFactor> all = factors.isEmpty() ? Set.of(SecondFactor.values()) : factors;
                List<String> accepted = all.stream()
                        .filter(f -> minimum == null || FactorStrength.of(f).atLeast(minimum))
                        .map(SecondFactor::yamlName).sorted().toList();
                FactorStrength grade = FactorStrength.ofRule(policy, all.stream()
                        .filter(f -> minimum == null || FactorStrength.of(f).atLeast(minimum))
                        .collect(java.util.stream.Collectors.toSet())).orElseThrow();
                return grade + " (two factors: " + String.join(", ", accepted)
                        + (grade == FactorStrength.BEST ? ", phishing-resistant" : "") + ")";
        }
    }
}
