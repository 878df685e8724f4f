package org.portcullis.config;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.portcullis.config.YamlNode.YamlList;
import org.portcullis.config.YamlNode.YamlMap;

/**
 * Holds the access rules against the exception register (NHS England's MFA policy: every exception documented,
 * approved and reviewed at least yearly). Runs after routes and {@code access_control} are read, with the clock:
 * <ul>
 *   <li>a rule naming an id that is not in the register is an error;</li>
 *   <li>a rule weaker than two factors ({@code bypass}, {@code one_factor}, also when limited to {@code networks}: a
 *       network-based waiver) that can decide requests for a route's host and names no exception is a warning, and
 *       an error with {@code access_control.exceptions_required: true}; so is a weak {@code default_policy}, which
 *       cannot name one;</li>
 *   <li>an exception within {@value ExceptionEntry#REVIEW_WARNING_DAYS} days of its {@code review_by} is a warning;
 *       one past it is a warning that says what its rules now do: refuse ({@link ExpiredExceptions#DENY}, enforced
 *       by the policy engine with its own clock, so also while the gateway runs on) or, loudly, still let requests
 *       through ({@link ExpiredExceptions#WARN}).</li>
 * </ul>
 * Remote desktops and TCP targets always need two factors, so they never need an exception and are not checked here.
 */
final class ExceptionChecks {
    private final Problems problems;
    private final Clock clock;

    ExceptionChecks(Problems problems, Clock clock) {
        this.problems = problems;
        this.clock = clock;
    }

    void check(AccessControlConfig policy, List<RouteConfig> routes, YamlNode accessControlNode) {
        if (!(accessControlNode instanceof YamlMap section)) {
            return;
        }
        List<String> ids = policy.exceptions().stream().map(ExceptionEntry::id).toList();
        List<YamlNode> ruleNodes = items(section, AccessControlValidator.RULES);
        for (int i = 0; i < policy.rules().size() && i < ruleNodes.size(); i++) {
            AccessRule rule = policy.rules().get(i);
            YamlNode node = ruleNodes.get(i);
            if (rule.exception() != null) {
                YamlNode exceptionNode = child(node, AccessControlValidator.EXCEPTION).orElse(node);
                if (!ids.contains(rule.exception())) {
                    problems.error(exceptionNode, CoverageMessages.unknownException("'" + rule.exception() + "'", ids));
                } else if (!rule.isWeak()) {
                    problems.warning(exceptionNode, CoverageMessages.exceptionNotNeeded(rule.name(),
                            rule.policy().yamlName()));
                }
                continue;
            }
            List<String> systems = reachedRoutes(rule.hosts(), routes);
            if (rule.isWeak() && !systems.isEmpty()) {
                report(policy, node, CoverageMessages.weakRuleWithoutException(rule.name(), what(rule), systems));
            }
        }
        if (policy.defaultPolicy() == PolicyKind.BYPASS || policy.defaultPolicy() == PolicyKind.ONE_FACTOR) {
            List<String> systems = reachedRoutes(List.of(), routes);
            if (!systems.isEmpty()) {
                YamlNode node = child(section, AccessControlValidator.DEFAULT_POLICY).orElse(section);
                report(policy, node, CoverageMessages.weakDefaultPolicy(policy.defaultPolicy().yamlName(), systems));
            }
        }
        reviewDates(policy, items(section, AccessControlValidator.EXCEPTIONS));
    }

    private void reviewDates(AccessControlConfig policy, List<YamlNode> entryNodes) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (int i = 0; i < policy.exceptions().size() && i < entryNodes.size(); i++) {
            ExceptionEntry entry = policy.exceptions().get(i);
            YamlNode node = child(entryNodes.get(i), ExceptionsValidator.REVIEW_BY).orElse(entryNodes.get(i));
            List<String> rules = policy.rules().stream().filter(r -> entry.id().equals(r.exception()))
                    .map(AccessRule::name).toList();
            if (entry.lapsedAt(now)) {
                problems.warning(node, policy.exceptionsExpired() == ExpiredExceptions.WARN
                        ? CoverageMessages.lapsedKept(entry.id(), entry.reviewBy(), rules)
                        : CoverageMessages.lapsedDenied(entry.id(), entry.reviewBy(), rules));
            } else if (entry.reviewDueAt(now)) {
                problems.warning(node, CoverageMessages.reviewDue(entry.id(), entry.reviewBy(),
                        ChronoUnit.DAYS.between(today, entry.reviewBy())));
            }
        }
    }

    private void report(AccessControlConfig policy, YamlNode node, String message) {
        if (policy.exceptionsRequired()) {
            problems.error(node, message);
        } else {
            problems.warning(node, message);
        }
    }

    private static String what(AccessRule rule) {
        String what = rule.policy() == PolicyKind.BYPASS ? "no sign-in (policy bypass)"
                : "a password alone (policy one_factor)";
        if (!rule.networks().isEmpty()) {
            what += " from " + rule.networks().stream().map(NetworkRef::label).toList() + " (a network-based waiver)";
        }
        return what;
    }

    private static List<String> reachedRoutes(List<HostPattern> ruleHosts, List<RouteConfig> routes) {
        List<String> reached = new ArrayList<>();
        for (RouteConfig route : routes) {
            if (ProtectedHosts.reaches(ruleHosts, route.host())) {
                reached.add("route '" + route.name() + "'");
            }
        }
        return reached;
    }

    private static List<YamlNode> items(YamlMap map, String key) {
        return child(map, key).filter(YamlList.class::isInstance).map(n -> ((YamlList) n).items()).orElse(List.of());
    }

    private static Optional<YamlNode> child(YamlNode node, String key) {
        if (node instanceof YamlMap map && map.entries().containsKey(key)) {
            return Optional.of(map.entries().get(key).value());
        }
        return Optional.empty();
    }
}
