package org.portcullis.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.portcullis.config.AccessRule;
import org.portcullis.config.Cidr;
import org.portcullis.config.HostPattern;
import org.portcullis.config.NetworkRef;
import org.portcullis.config.Subject;

/**
 * One {@link AccessRule} precompiled for the request path: path patterns parsed once, networks flattened to CIDRs,
 * subjects split into user and group sets. An empty field matches anything. The cheap checks run first and the
 * mismatch reasons are only built for {@link #trace}.
 */
final class CompiledRule {

    private final String name;
    private final List<HostPattern> hosts;
    private final List<PathMatcher> paths;
    private final Set<String> methods;
    private final List<NetworkRef> networks;
    private final List<Cidr> cidrs;
    private final List<Conjunction> subjects;
    private final RuleDemand demand;

    CompiledRule(AccessRule rule) {
        this(rule, null);
    }

    /** @param lapsesAfter the last day the rule's exception holds when a lapse denies, else null */
    CompiledRule(AccessRule rule, java.time.LocalDate lapsesAfter) {
        this.name = rule.name();
        this.hosts = rule.hosts();
        this.paths = rule.paths().stream().map(PathMatcher::compile).toList();
        this.methods = rule.methods();
        this.networks = rule.networks();
        this.cidrs = rule.networks().stream().flatMap(n -> n.cidrs().stream()).toList();
        if (!networks.isEmpty() && cidrs.isEmpty()) {
            // A network list that names no address would silently match nothing; the loader should never build one.
            throw new IllegalArgumentException("rule '" + name + "': networks name no address");
        }
        this.subjects = rule.subjects().stream().map(Conjunction::of).toList();
        this.demand = new RuleDemand(name, rule.policy(), rule.policy() == org.portcullis.config.PolicyKind.TWO_FACTOR
                ? RuleDemand.atLeast(rule.factors(), rule.minimumStrength()) : rule.factors(), rule.maxFactorAge(),
                DenyReason.DENIED_BY_RULE, lapsesAfter);
    }

    String name() {
        return name;
    }

    RuleDemand demand() {
        return demand;
    }

    boolean hasSubjects() {
        return !subjects.isEmpty();
    }

    /**
     * The first of hosts, paths, methods, networks that does not match, or null when all of them match.
     *
     * @param pathSegments segments of the request's path, lower-cased when the request's route folds case
     */
    MatchField firstMismatch(AccessRequest request, String[] pathSegments) {
        if (!hosts.isEmpty() && !matchesHost(request.host())) {
            return MatchField.HOSTS;
        }
        if (!paths.isEmpty() && !matchesPath(pathSegments, request.paths().foldsCase())) {
            return MatchField.PATHS;
        }
        if (!methods.isEmpty() && !methods.contains(request.method())) {
            return MatchField.METHODS;
        }
        if (!cidrs.isEmpty() && !matchesSource(request.source())) {
            return MatchField.NETWORKS;
        }
        return null;
    }

    /** True when the known user satisfies one of the AND-groups (always true for a rule without subjects). */
    boolean matchesSubjects(Principal principal) {
        if (subjects.isEmpty()) {
            return true;
        }
        for (Conjunction conjunction : subjects) {
            if (conjunction.matches(principal)) {
                return true;
            }
        }
        return false;
    }

    RuleTrace trace(AccessRequest request, String[] pathSegments, AuthState auth) {
        MatchField field = firstMismatch(request, pathSegments);
        if (field != null) {
            return new RuleTrace.Skipped(name, field, reason(field, request));
        }
        if (hasSubjects()) {
            if (!(auth instanceof AuthState.SignedIn signedIn)) {
                return new RuleTrace.SignInFirst(name);
            }
            if (!matchesSubjects(Principal.of(signedIn.identity()))) {
                return new RuleTrace.Skipped(name, MatchField.SUBJECTS, subjectReason(signedIn.identity()));
            }
        }
        return new RuleTrace.Matched(name);
    }

    private boolean matchesHost(String host) {
        for (HostPattern pattern : hosts) {
            if (pattern.matches(host)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesPath(String[] pathSegments, boolean foldCase) {
        for (PathMatcher matcher : paths) {
            if (matcher.matches(pathSegments, foldCase)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesSource(InetAddress source) {
        if (source == null) {
            return false; // unknown source: in no network (fail closed)
        }
        for (Cidr cidr : cidrs) {
            if (cidr.contains(source)) {
                return true;
            }
        }
        return false;
    }

    private String reason(MatchField field, AccessRequest request) {
        switch (field) {
            case HOSTS:
                return noneMatches(hosts, request.host());
            case PATHS:
                return noneMatches(paths, request.path())
                        + (request.paths().foldsCase() ? " (compared ignoring case: paths: case_insensitive)" : "");
            case METHODS:
                return request.method() + " is not in " + new TreeSet<>(methods);
            case NETWORKS:
                if (request.source() == null) {
                    return "no source address given";
                }
                List<String> labels = networks.stream().map(NetworkRef::label).toList();
                String address = request.source().getHostAddress(); // literal, never a reverse lookup
                return labels.size() == 1
                        ? address + " is not in " + labels.get(0)
                        : address + " is in none of " + labels;
            default:
                throw new IllegalStateException("CompiledRule: no reason for " + field);
        }
    }

    private static String noneMatches(List<?> patterns, String value) {
        return patterns.size() == 1
                ? patterns.get(0) + " does not match " + value
                : "none of " + patterns + " matches " + value;
    }

    private String subjectReason(Identity identity) {
        String groups = identity.groups().isEmpty() ? "no groups" : "groups: " + String.join(", ",
                new TreeSet<>(identity.groups()));
        List<String> terms = new ArrayList<>();
        for (Conjunction c : subjects) {
            terms.add(c.toString());
        }
        return identity.user() + " (" + groups + ") satisfies none of " + terms;
    }

    /** The user and groups of a known caller, lower-cased once per decision for comparison with subjects. */
    record Principal(String user, Set<String> groups) {
        static Principal of(Identity identity) {
            return new Principal(identity.userKey(), identity.groupKeys());
        }
    }

    /** One AND-group of {@code subjects}: every user term and every group term must hold. */
    private record Conjunction(List<Subject> terms, Set<String> users, Set<String> groups) {
        static Conjunction of(List<Subject> terms) {
            Set<String> users = terms.stream().filter(t -> t.kind() == Subject.Kind.USER)
                    .map(Subject::name).collect(Collectors.toUnmodifiableSet());
            Set<String> groups = terms.stream().filter(t -> t.kind() == Subject.Kind.GROUP)
                    .map(Subject::name).collect(Collectors.toUnmodifiableSet());
            return new Conjunction(terms, users, groups);
        }

        boolean matches(Principal principal) {
            for (String user : users) {
                if (!user.equals(principal.user())) {
                    return false;
                }
            }
            return principal.groups().containsAll(groups);
        }

        @Override
        public String toString() {
            return terms.stream().map(Subject::toString).collect(Collectors.joining(", ", "[", "]"))
                    .toLowerCase(Locale.ROOT);
        }
    }
}
