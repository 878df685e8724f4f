package org.portcullis.config;

import java.util.List;
import java.util.Objects;

/** The access policy: ordered rules, first match wins, {@code defaultPolicy} when none matches. */
public record AccessControlConfig(PolicyKind defaultPolicy, List<AccessRule> rules) {
    public AccessControlConfig {
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        rules = List.copyOf(rules);
    }

    /** Deny everything: the policy when the file has no {@code access_control} section. */
    public static AccessControlConfig denyAll() {
        return new AccessControlConfig(PolicyKind.DENY, List.of());
    }
}
