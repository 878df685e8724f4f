package org.portcullis.policy;

import java.util.Objects;

/** How one rule fared against one request, for the simulator and for explaining a decision to an admin. */
public sealed interface RuleTrace permits RuleTrace.Matched, RuleTrace.SignInFirst, RuleTrace.Skipped {

    String rule();

    /** Every field of the rule matched. */
    record Matched(String rule) implements RuleTrace {
    }

    /**
     * Every field but {@code subjects} matched and the request is anonymous: the rule asks for sign-in, and the
     * request is evaluated again once the user is known.
     */
    record SignInFirst(String rule) implements RuleTrace {
    }

    /** The rule did not match; {@code field} is the first field that did not, {@code reason} says why. */
    record Skipped(String rule, MatchField field, String reason) implements RuleTrace {
        public Skipped {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
