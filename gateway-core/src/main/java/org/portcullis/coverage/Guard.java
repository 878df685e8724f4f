package org.portcullis.coverage;

import java.util.List;
import java.util.Objects;
import org.portcullis.config.FactorStrength;
import org.portcullis.config.PolicyKind;

/**
 * One rule that can decide requests for a protected system, as coverage reports show it.
 *
 * @param rule      the rule's name, or {@code default_policy}
 * @param policy    what it demands (a rule whose exception lapsed and now refuses is shown with its written policy
 *                  and {@link ExceptionState#LAPSED_DENIED})
 * @param factors   the second factors it accepts (yaml names), empty unless two_factor
 * @param strength  its grade, or null for deny (nobody gets through)
 * @param exception the exception id it names, or null
 * @param state     where that exception stands today
 * @param condition what limits the rule within the system ({@code paths /api/**}, {@code networks [lan]}), or ""
 */
public record Guard(String rule, PolicyKind policy, List<String> factors, FactorStrength strength, String exception,
                    ExceptionState state, String condition) {
    public Guard {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(policy, "policy");
        factors = List.copyOf(factors);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(condition, "condition");
    }

    /** The strength that really applies today: a lapsed exception that denies lets nobody through. */
    public FactorStrength effectiveStrength() {
        return state == ExceptionState.LAPSED_DENIED ? null : strength;
    }

    /** Weaker than two factors and still letting requests through. */
    public boolean isWeak() {
        FactorStrength s = effectiveStrength();
        return s != null && !s.atLeast(FactorStrength.BETTER);
    }
}
