package org.portcullis.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.portcullis.config.AccessRule;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.SecondFactor;

/**
 * Renders decisions and rule traces for people: the {@code policy check} simulator and admin tools. The lines name
 * rules, hosts, paths and addresses, never a secret.
 */
public final class ExplanationText {

    private static final String INDENT = "  ";

    private ExplanationText() {
    }

    /** {@code allow (as alice, groups: clinicians)}, {@code challenge (second factor: webauthn, younger than 15m)}… */
    public static String describe(Decision decision) {
        if (decision instanceof Decision.Allow allow) {
            if (allow.isBypass()) {
                return "allow (bypass: no sign-in, no identity passed on)";
            }
            Identity identity = allow.identity();
            String groups = identity.groups().isEmpty()
                    ? "no groups"
                    : "groups: " + String.join(", ", new TreeSet<>(identity.groups()));
            return "allow (as " + identity.user() + ", " + groups + ")";
        }
        if (decision instanceof Decision.Deny deny) {
            if (deny.reason() == DenyReason.WINDOWS_PATH_ALIAS) {
                return "refuse with 400 (" + deny.reason().code() + ")";
            }
            return "deny (" + deny.reason().code() + ")";
        }
        Requirement requirement = ((Decision.Challenge) decision).requirement();
        if (requirement instanceof Requirement.SecondFactorRequired second) {
            return "challenge (second factor: " + factors(second.accepted()) + ")";
        }
        if (requirement instanceof Requirement.StepUp stepUp) {
            return "challenge (second factor: " + factors(stepUp.accepted()) + ", younger than "
                    + DurationText.format(stepUp.maxAge()) + ")";
        }
        return "challenge (sign-in)";
    }

    /**
     * A sign-in challenge by {@code rule}, with what the rule needs: {@code challenge (sign-in: password only)} or
     * {@code challenge (sign-in: password, then a second factor: totp, webauthn or a recovery code)}. A rule for
     * certain subjects is evaluated again once the user is known, so it names no factors.
     */
    public static String signInNeeds(AccessRule rule) {
        if (!rule.subjects().isEmpty()) {
            return "challenge (sign-in: then the rules are evaluated again for the user)";
        }
        if (rule.policy() == PolicyKind.TWO_FACTOR) {
            Set<SecondFactor> accepted = rule.factors().isEmpty() ? EnumSet.allOf(SecondFactor.class) : rule.factors();
            return "challenge (sign-in: password, then a second factor: " + factors(accepted)
                    + (rule.maxFactorAge() == null ? "" : ", younger than " + DurationText.format(rule.maxFactorAge()))
                    + ")";
        }
        return "challenge (sign-in: password only)";
    }

    /**
     * One line per rule: every rule up to the deciding one, or every rule when {@code all} is set (the later ones
     * marked "not reached").
     */
    public static List<String> ruleLines(Explanation explanation, boolean all) {
        if (explanation.pathRefusal() != null) {
            return List.of(INDENT + "no rule tried: the route's upstream reads paths case-insensitively"
                    + " (paths: case_insensitive), and " + explanation.pathRefusal());
        }
        List<RuleTrace> traces = explanation.rules();
        int decided = explanation.decidingIndex();
        int last = all || decided < 0 ? traces.size() - 1 : decided;
        int width = 0;
        for (int i = 0; i <= last; i++) {
            width = Math.max(width, traces.get(i).rule().length());
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            RuleTrace trace = traces.get(i);
            String name = String.format("%-" + width + "s", trace.rule());
            String text = decided >= 0 && i > decided ? "not reached (" + outcome(trace, false) + ")"
                    : outcome(trace, i == decided);
            lines.add(INDENT + name + "   " + text);
        }
        return lines;
    }

    private static String outcome(RuleTrace trace, boolean deciding) {
        if (trace instanceof RuleTrace.Skipped skipped) {
            return "skipped: " + skipped.field().yamlName() + ": " + skipped.reason();
        }
        if (trace instanceof RuleTrace.SignInFirst) {
            return deciding ? "MATCHED but for subjects: sign in first, then the rules are evaluated again"
                    : "would ask for sign-in";
        }
        return deciding ? "MATCHED" : "would match";
    }

    private static String factors(Set<SecondFactor> accepted) {
        Set<SecondFactor> ordered = EnumSet.noneOf(SecondFactor.class);
        ordered.addAll(accepted);
        List<String> names = ordered.stream().map(SecondFactor::yamlName)
                .collect(Collectors.toCollection(ArrayList::new));
        if (AuthFactor.RECOVERY_CODE.satisfies(accepted)) {
            names.add("a recovery code");
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
