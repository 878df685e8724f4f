package org.portcullis.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code tcp_targets} (issue 17): a list of TCP services, each with a unique {@code name}, a unique
 * {@code address} (host and port), who may reach it ({@code subjects} and/or {@code groups}, at least one: nobody by
 * default), and optional {@code policy} (only {@code two_factor}: a target is never reachable with less),
 * {@code factors}, {@code max_duration} (default 8h) and {@code idle_timeout}. Streams belong to a stored session,
 * so the section needs {@code storage} and {@code users} (checked by {@link ConfigLoader}).
 */
final class TcpTargetsValidator {
    static final String NAME = "name";
    static final String ADDRESS = "address";
    static final String SUBJECTS = "subjects";
    static final String GROUPS = "groups";
    static final String POLICY = "policy";
    static final String FACTORS = "factors";
    static final String MAX_DURATION = "max_duration";
    static final String IDLE_TIMEOUT = "idle_timeout";
    static final List<String> KEYS = List.of(NAME, ADDRESS, SUBJECTS, GROUPS, POLICY, FACTORS, MAX_DURATION,
            IDLE_TIMEOUT);
    private static final Pattern NAME_SYNTAX = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern SUBJECT = Pattern.compile("(user|group):([A-Za-z0-9._@-]+)");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._@-]+");

    private final NodeReader reader;

    TcpTargetsValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<List<TcpTargetConfig>> validate(YamlNode node) {
        int before = reader.problems().errorCount();
        Optional<List<YamlNode>> items = reader.list(node);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<TcpTargetConfig> targets = new ArrayList<>();
        Map<String, String> firstName = new HashMap<>();
        Map<HostPort, String> firstAddress = new HashMap<>();
        for (YamlNode item : items.get()) {
            target(item, firstName, firstAddress).ifPresent(targets::add);
        }
        return reader.problems().errorCount() == before ? Optional.of(targets) : Optional.empty();
    }

    private Optional<TcpTargetConfig> target(YamlNode node, Map<String, String> firstName,
                                             Map<HostPort, String> firstAddress) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView t = view.get();
        int before = reader.problems().errorCount();
        Optional<String> name = t.require(NAME).flatMap(n -> reader.parsed(n,
                v -> NAME_SYNTAX.matcher(v).matches() ? Optional.of(v) : Optional.empty(),
                v -> Messages.notName(v, "TCP target name")));
        name.ifPresent(v -> t.get(NAME).ifPresent(n -> unique(firstName, v, n, "'" + v + "'")));
        Optional<HostPort> address = t.require(ADDRESS).flatMap(n -> reader.parsed(n, HostSyntax::connectAddress,
                Messages::notTcpTargetAddress));
        // Two targets on one address would make "which target did the client ask for" depend on list order.
        address.ifPresent(v -> t.get(ADDRESS).ifPresent(n -> unique(firstAddress, v, n, "'" + v + "'")));
        List<Subject> subjects = new ArrayList<>();
        t.get(SUBJECTS).flatMap(n -> reader.listOf(n, this::subject)).ifPresent(subjects::addAll);
        t.get(GROUPS).flatMap(n -> reader.listOf(n, g -> reader.parsed(g,
                v -> GROUP.matcher(v).matches() ? Optional.of(new Subject(Subject.Kind.GROUP, v)) : Optional.empty(),
                Messages::notSubject))).ifPresent(subjects::addAll);
        if (!t.has(SUBJECTS) && !t.has(GROUPS)) {
            reader.problems().error(node, Messages.tcpTargetNeedsSubjects());
        }
        t.get(POLICY).ifPresent(n -> reader.parsed(n, Optional::of, v -> v).ifPresent(v -> {
            if (!v.equals(PolicyKind.TWO_FACTOR.yamlName())) {
                reader.problems().error(n, Messages.tcpTargetNeedsTwoFactor("'" + v + "'"));
            }
        }));
        Set<SecondFactor> factors = new LinkedHashSet<>();
        t.get(FACTORS).flatMap(n -> reader.listOf(n, f -> reader.parsed(f, v -> Arrays.stream(SecondFactor.values())
                .filter(k -> k.yamlName().equals(v)).findFirst(), Messages::notFactor))).ifPresent(factors::addAll);
        Duration maxDuration = t.get(MAX_DURATION).flatMap(reader::duration).orElse(null);
        Duration idle = t.get(IDLE_TIMEOUT).flatMap(reader::duration).orElse(null);
        if (maxDuration != null && idle != null && idle.compareTo(maxDuration) > 0) {
            reader.problems().error(t.get(IDLE_TIMEOUT).get(), Messages.tcpIdleLongerThanMax(
                    Durations.format(idle), Durations.format(maxDuration)));
        }
        if (reader.problems().errorCount() != before || name.isEmpty() || address.isEmpty() || subjects.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TcpTargetConfig(name.get(), address.get(), subjects, factors, maxDuration, idle));
    }

    private <K> void unique(Map<K, String> first, K key, YamlNode node, String shown) {
        String firstPath = first.putIfAbsent(key, node.path());
        if (firstPath != null) {
            reader.problems().error(node, Messages.alreadyUsed(shown, firstPath));
        }
    }

    private Optional<Subject> subject(YamlNode node) {
        return reader.parsed(node, s -> {
            var m = SUBJECT.matcher(s);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Subject(m.group(1).equals("user") ? Subject.Kind.USER : Subject.Kind.GROUP,
                    m.group(2)));
        }, Messages::notSubject);
    }
}
