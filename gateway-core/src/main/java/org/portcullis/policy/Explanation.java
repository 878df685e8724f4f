package org.portcullis.policy;

import java.util.List;
import java.util.Objects;

/**
 * A decision together with how every rule fared.
 *
 * @param decision      exactly what {@link PolicyEngine#decide} returns for the same input
 * @param rules         one trace per rule, in rule order, including the rules after the deciding one
 * @param decidingIndex index into {@code rules} of the rule that decided, or -1 when the default policy did
 * @param pathRefusal   why the path was refused before any rule was tried ({@link WindowsPathAliases}), or null;
 *                      when set, {@code rules} is empty
 */
public record Explanation(Decision decision, List<RuleTrace> rules, int decidingIndex, String pathRefusal) {
    public Explanation {
        Objects.requireNonNull(decision, "decision");
        rules = List.copyOf(rules);
    }

    public Explanation(Decision decision, List<RuleTrace> rules, int decidingIndex) {
        this(decision, rules, decidingIndex, null);
    }
}
