package org.portcullis.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.portcullis.config.AccessRule;
import org.portcullis.config.Cidr;
import org.portcullis.config.HostPattern;
import org.portcullis.config.NetworkRef;
import org.portcullis.config.PathPattern;
import org.portcullis.config.PolicyKind;
import org.portcullis.config.SecondFactor;
import org.portcullis.config.Subject;

/** Builds {@link AccessRule} records the way the loader does (factors default to both), without YAML. */
public final class Rules {
    private final String name;
    private final List<HostPattern> hosts = new ArrayList<>();
    private final List<PathPattern> paths = new ArrayList<>();
    private final Set<String> methods = new LinkedHashSet<>();
    private final List<NetworkRef> networks = new ArrayList<>();
    private final List<List<Subject>> subjects = new ArrayList<>();
    private PolicyKind policy = PolicyKind.TWO_FACTOR;
    private Set<SecondFactor> factors = EnumSet.allOf(SecondFactor.class);
    private Duration maxFactorAge;

    private Rules(String name) {
        this.name = name;
    }

    public static Rules rule(String name) {
        return new Rules(name);
    }

    public Rules hosts(String... patterns) {
        Arrays.stream(patterns).map(HostPattern::new).forEach(hosts::add);
        return this;
    }

    public Rules paths(String... patterns) {
        Arrays.stream(patterns).map(PathPattern::new).forEach(paths::add);
        return this;
    }

    public Rules methods(String... names) {
        methods.addAll(List.of(names));
        return this;
    }

    public Rules network(String label, String... cidrs) {
        networks.add(new NetworkRef(label, Arrays.stream(cidrs).map(Cidr::parse).toList()));
        return this;
    }

    /** Adds one AND-group, e.g. {@code subjects("group:clinicians", "user:alice")}; several calls are OR-ed. */
    public Rules subjects(String... terms) {
        subjects.add(Arrays.stream(terms).map(Rules::subject).toList());
        return this;
    }

    public Rules policy(PolicyKind kind) {
        this.policy = kind;
        return this;
    }

    public Rules factors(SecondFactor... accepted) {
        this.factors = accepted.length == 0 ? Set.of() : EnumSet.copyOf(List.of(accepted));
        return this;
    }

    public Rules maxFactorAge(Duration age) {
        this.maxFactorAge = age;
        return this;
    }

    public AccessRule build() {
        return new AccessRule(name, hosts, paths, methods, networks, subjects, policy, factors, maxFactorAge);
    }

    private static Subject subject(String term) {
        int colon = term.indexOf(':');
        Subject.Kind kind = term.startsWith("user:") ? Subject.Kind.USER : Subject.Kind.GROUP;
        return new Subject(kind, term.substring(colon + 1));
    }
}
