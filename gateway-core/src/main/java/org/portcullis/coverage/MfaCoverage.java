package org.portcullis.coverage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.portcullis.config.AccessControlConfig;
import org.portcullis.config.AccessRule;
import org.portcullis.config.ExceptionEntry;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.PolicyKind;

/**
 * What a config says about MFA coverage on one day, for the audit report and the evidence pack: every protected system
 * with its rules, the exception register with each entry's state, the weak rules that name no exception, and the
 * rules limited to named users or groups (the candidates for privileged access).
 *
 * @param systems          every protected system
 * @param register         the exception register, in file order
 * @param unexcepted       rules (and a weak {@code default_policy}) weaker than two factors on a protected system
 *                         without an approved exception, by name
 * @param restricted       rules limited by {@code subjects}, with their guard
 * @param entryPoints      how many entry points the config declares
 * @param exceptionsRequired whether the config refuses weak rules without an exception
 */
public record MfaCoverage(List<ProtectedSystem> systems, List<RegisterRow> register, List<String> unexcepted,
                          List<Guard> restricted, int entryPoints, boolean exceptionsRequired) {

    public MfaCoverage {
        systems = List.copyOf(systems);
        register = List.copyOf(register);
        unexcepted = List.copyOf(unexcepted);
        restricted = List.copyOf(restricted);
    }

    /** One entry of the register, where it stands on the day, and the rules that name it. */
    public record RegisterRow(ExceptionEntry entry, ExceptionState state, List<String> rules) {
        public RegisterRow {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(state, "state");
            rules = List.copyOf(rules);
        }
    }

    public static MfaCoverage of(GatewayConfig config, Instant now) {
        List<ProtectedSystem> systems = ProtectedSystems.of(config, now);
        AccessControlConfig policy = config.accessControl();
        List<RegisterRow> register = new ArrayList<>();
        for (ExceptionEntry entry : policy.exceptions()) {
            List<AccessRule> naming = policy.rules().stream().filter(r -> entry.id().equals(r.exception())).toList();
            ExceptionState state = naming.isEmpty() ? stateOf(entry, policy, now)
                    : RouteSystems.state(policy, naming.get(0), now);
            register.add(new RegisterRow(entry, state, naming.stream().map(AccessRule::name).toList()));
        }
        List<String> unexcepted = new ArrayList<>();
        for (ProtectedSystem system : systems) {
            for (Guard guard : system.guards()) {
                if (guard.isWeak() && guard.exception() == null && !unexcepted.contains(guard.rule())) {
                    unexcepted.add(guard.rule());
                }
            }
        }
        List<Guard> restricted = new ArrayList<>();
        for (AccessRule rule : policy.rules()) {
            if (!rule.subjects().isEmpty()) {
                restricted.add(RouteSystems.guard(policy, rule, now));
            }
        }
        return new MfaCoverage(systems, register, unexcepted, restricted, config.entryPoints().size(),
                policy.exceptionsRequired());
    }

    private static ExceptionState stateOf(ExceptionEntry entry, AccessControlConfig policy, Instant now) {
        AccessRule probe = new AccessRule("(unused)", List.of(), List.of(), java.util.Set.of(), List.of(), List.of(),
                PolicyKind.ONE_FACTOR, java.util.Set.of(), null, entry.id(), null);
        return RouteSystems.state(policy, probe, now);
    }

    /** Systems where a rule weaker than two factors still lets requests through today. */
    public List<ProtectedSystem> weakSystems() {
        return systems.stream().filter(ProtectedSystem::hasWeakGuard).toList();
    }
}
