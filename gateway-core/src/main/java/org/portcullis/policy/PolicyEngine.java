package org.portcullis.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.portcullis.config.AccessControlConfig;
import org.portcullis.config.AccessRule;
import org.portcullis.config.ExceptionEntry;
import org.portcullis.config.ExpiredExceptions;
import java.time.LocalDate;

/**
 * Decides, for every canonical request, what the gateway demands before it forwards. Immutable and thread-safe: the
 * rules are compiled once at construction, and a config reload builds a new engine.
 *
 * <h2>Model</h2>
 * <ul>
 *   <li>Rules are tried in order; the first matching rule decides; when none matches, {@code default_policy} decides
 *       under the rule name {@link Decision#DEFAULT_POLICY}.</li>
 *   <li>A rule matches when every non-empty field matches: {@code hosts} (exact or {@code *.} wildcard on the
 *       canonical host), {@code paths} (see {@code PathMatcher}), {@code methods} (exact upper-case token),
 *       {@code networks} (the client address is in one of the CIDRs) and {@code subjects} (an OR of ANDs of
 *       {@code user:} and {@code group:} terms, case-insensitive).</li>
 *   <li>{@code subjects} can only be checked once the user is known. For an anonymous request a rule whose other
 *       fields match asks for sign-in ({@link Requirement.SignIn}) and does not fall through: "authenticate first,
 *       then evaluate again". For a known user whose subjects do not match, the rule does not match.</li>
 *   <li>What a matched rule demands: see {@code RuleDemand}. bypass allows without an identity; deny denies;
 *       one_factor asks an anonymous caller to sign in; two_factor also asks for a second factor of an accepted
 *       kind ({@code factors}), completed less than {@code max_factor_age} ago when that is set. A second factor of
 *       a kind the rule does not accept never satisfies it; {@code minimum_strength} narrows the kinds accepted.</li>
 *   <li>A rule whose exception ({@code access_control.exceptions}) is past its {@code review_by} day refuses
 *       ({@link DenyReason#EXCEPTION_LAPSED}) unless {@code exceptions_expired: warn}; the day comes from the clock.</li>
 *   <li>On a route whose upstream reads paths case-insensitively ({@code paths: case_insensitive}, carried by
 *       {@link AccessRequest#paths()}), a path that Windows would read as another name ({@link WindowsPathAliases})
 *       is refused before any rule ({@link DenyReason#WINDOWS_PATH_ALIAS}), and rule paths are compared with the
 *       lower-cased path, so {@code /ADMIN} meets the rule for {@code /admin} (SECURITY-RULES 22). The path
 *       forwarded stays as it is: the upstream folds case itself, and the policy decided on the folded form.</li>
 * </ul>
 * Every error is a programming or config error found at construction (fail closed: no engine, no traffic).
 */
public final class PolicyEngine {

    private final List<CompiledRule> rules;
    private final RuleDemand defaultDemand;
    private final boolean anyRuleHasSubjects;
    private final Clock clock;

    /** @throws IllegalArgumentException when a rule cannot be compiled (for example a malformed path pattern) */
    public PolicyEngine(AccessControlConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        List<CompiledRule> compiled = new ArrayList<>();
        for (AccessRule rule : config.rules()) {
            LocalDate lapsesAfter = config.exceptionsExpired() == ExpiredExceptions.DENY
                    ? config.exceptionOf(rule).map(ExceptionEntry::reviewBy).orElse(null) : null;
            compiled.add(new CompiledRule(rule, lapsesAfter));
        }
        this.rules = List.copyOf(compiled);
        this.defaultDemand = new RuleDemand(Decision.DEFAULT_POLICY, config.defaultPolicy(), Set.of(), null,
                DenyReason.NO_RULE_MATCHED);
        this.anyRuleHasSubjects = rules.stream().anyMatch(CompiledRule::hasSubjects);
    }

    /** The decision for one request; called on every request, so it builds no explanation. */
    public Decision decide(AccessRequest request, AuthState auth) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(auth, "auth");
        if (request.paths().foldsCase() && WindowsPathAliases.problemWith(request.path()) != null) {
            return windowsPathAlias();
        }
        String[] segments = matchSegments(request);
        CompiledRule.Principal principal = anyRuleHasSubjects && auth instanceof AuthState.SignedIn signedIn
                ? CompiledRule.Principal.of(signedIn.identity())
                : null;
        for (CompiledRule rule : rules) {
            if (rule.firstMismatch(request, segments) != null) {
                continue;
            }
            if (rule.hasSubjects()) {
                if (principal == null) {
                    return new Decision.Challenge(rule.name(), new Requirement.SignIn());
                }
                if (!rule.matchesSubjects(principal)) {
                    continue;
                }
            }
            return rule.demand().apply(auth, clock.instant());
        }
        return defaultDemand.apply(auth, clock.instant());
    }

    /** The decision with a trace of every rule, for the simulator and admin tools; slower than {@link #decide}. */
    public Explanation explain(AccessRequest request, AuthState auth) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(auth, "auth");
        if (request.paths().foldsCase()) {
            String problem = WindowsPathAliases.problemWith(request.path());
            if (problem != null) {
                return new Explanation(windowsPathAlias(), List.of(), -1, problem);
            }
        }
        String[] segments = matchSegments(request);
        List<RuleTrace> traces = new ArrayList<>();
        Decision decision = null;
        int decidingIndex = -1;
        for (int i = 0; i < rules.size(); i++) {
            CompiledRule rule = rules.get(i);
            RuleTrace trace = rule.trace(request, segments, auth);
            traces.add(trace);
            if (decision != null) {
                continue;
            }
            if (trace instanceof RuleTrace.SignInFirst) {
                decision = new Decision.Challenge(rule.name(), new Requirement.SignIn());
                decidingIndex = i;
            } else if (trace instanceof RuleTrace.Matched) {
                decision = rule.demand().apply(auth, clock.instant());
                decidingIndex = i;
            }
        }
        if (decision == null) {
            decision = defaultDemand.apply(auth, clock.instant());
        }
        return new Explanation(decision, traces, decidingIndex);
    }

    /** The segments rules are matched against: lower-cased on a route whose upstream ignores case. */
    private static String[] matchSegments(AccessRequest request) {
        String path = request.paths().foldsCase() ? request.path().toLowerCase(Locale.ROOT) : request.path();
        return PathMatcher.segmentsOf(path);
    }

    private static Decision windowsPathAlias() {
        return new Decision.Deny(Decision.CASE_INSENSITIVE_PATHS, DenyReason.WINDOWS_PATH_ALIAS);
    }
}
