package org.portcullis.policy;

import java.util.Objects;

/**
 * The outcome of the policy for one request. Every decision names the rule that produced it: the rule's {@code id},
 * {@code rule #N} for a rule without one, or {@link #DEFAULT_POLICY}.
 */
public sealed interface Decision permits Decision.Allow, Decision.Deny, Decision.Challenge {

    /** The rule name of a decision made by {@code access_control.default_policy}. */
    String DEFAULT_POLICY = "default_policy";

    /** The rule name of a refusal of a {@link WindowsPathAliases} form on a {@code paths: case_insensitive} route. */
    String CASE_INSENSITIVE_PATHS = "case_insensitive_paths";

    String rule();

    /**
     * Forward the request.
     *
     * @param identity the user to pass on to the upstream, or null for a bypass rule: a bypass never passes an
     *                 identity, even when the caller happens to be signed in
     */
    record Allow(String rule, Identity identity) implements Decision {
        public Allow {
            Objects.requireNonNull(rule, "rule");
        }

        public boolean isBypass() {
            return identity == null;
        }
    }

    /** Refuse the request (403). */
    record Deny(String rule, DenyReason reason) implements Decision {
        public Deny {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Do not forward yet: the caller must first complete {@code requirement}, then the request is decided again. */
    record Challenge(String rule, Requirement requirement) implements Decision {
        public Challenge {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(requirement, "requirement");
        }
    }
}
