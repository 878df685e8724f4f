package org.portcullis.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The access policy: ordered rules, first match wins, {@code defaultPolicy} when none matches; and the exception
 * register that approves rules weaker than two factors.
 *
 * @param exceptions         the register ({@code access_control.exceptions}), in file order
 * @param exceptionsRequired whether a weak rule on a protected system without an exception is an error (else a
 *                           warning)
 * @param exceptionsExpired  what a rule whose exception has lapsed does
 */
public record AccessControlConfig(PolicyKind defaultPolicy, List<AccessRule> rules, List<ExceptionEntry> exceptions,
                                  boolean exceptionsRequired, ExpiredExceptions exceptionsExpired) {
    public AccessControlConfig {
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        rules = List.copyOf(rules);
        exceptions = List.copyOf(exceptions);
        Objects.requireNonNull(exceptionsExpired, "exceptionsExpired");
    }

    /** A policy with no exception register (the shape before it existed). */
    public AccessControlConfig(PolicyKind defaultPolicy, List<AccessRule> rules) {
        this(defaultPolicy, rules, List.of(), false, ExpiredExceptions.DENY);
    }

    /** Deny everything: the policy when the file has no {@code access_control} section. */
    public static AccessControlConfig denyAll() {
        return new AccessControlConfig(PolicyKind.DENY, List.of());
    }

    /** The register entry {@code rule} names, if any. */
    public Optional<ExceptionEntry> exceptionOf(AccessRule rule) {
        if (rule.exception() == null) {
            return Optional.empty();
        }
        return exceptions.stream().filter(e -> e.id().equals(rule.exception())).findFirst();
    }
}
