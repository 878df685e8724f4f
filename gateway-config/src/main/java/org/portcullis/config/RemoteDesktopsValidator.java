package org.portcullis.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code remote_desktops}: a list of desktops, each with a unique {@code name}, an {@code address} (host and
 * port), who may open it ({@code subjects} and/or {@code groups}, at least one), and optional {@code portal_host},
 * {@code policy} (only {@code two_factor}: a desktop is never reachable with less), {@code factors},
 * {@code max_duration} (default 8h), {@code idle_timeout} and {@code consent}. Desktops are published by the portal,
 * so the section needs {@code portal} and {@code storage}.
 */
final class RemoteDesktopsValidator {
    static final String NAME = "name";
    static final String ADDRESS = "address";
    static final String PORTAL_HOST = "portal_host";
    static final String SUBJECTS = "subjects";
    static final String GROUPS = "groups";
    static final String POLICY = "policy";
    static final String FACTORS = "factors";
    static final String MAX_DURATION = "max_duration";
    static final String IDLE_TIMEOUT = "idle_timeout";
    static final String CONSENT = "consent";
    static final List<String> KEYS = List.of(NAME, ADDRESS, PORTAL_HOST, SUBJECTS, GROUPS, POLICY, FACTORS,
            MAX_DURATION, IDLE_TIMEOUT, CONSENT);
    static final int MAX_CONSENT_CHARS = 1000;
    private static final Pattern NAME_SYNTAX = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern SUBJECT = Pattern.compile("(user|group):([A-Za-z0-9._@-]+)");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._@-]+");

    private final NodeReader reader;
    private final PortalConfig portal;

    RemoteDesktopsValidator(NodeReader reader, PortalConfig portal) {
        this.reader = reader;
        this.portal = portal;
    }

    Optional<List<RemoteDesktopConfig>> validate(YamlNode node) {
        int before = reader.problems().errorCount();
        Optional<List<YamlNode>> items = reader.list(node);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<RemoteDesktopConfig> desktops = new ArrayList<>();
        Map<String, String> firstUse = new HashMap<>();
        for (YamlNode item : items.get()) {
            desktop(item, firstUse).ifPresent(desktops::add);
        }
        return reader.problems().errorCount() == before ? Optional.of(desktops) : Optional.empty();
    }

    private Optional<RemoteDesktopConfig> desktop(YamlNode node, Map<String, String> firstUse) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView d = view.get();
        int before = reader.problems().errorCount();
        Optional<String> name = d.require(NAME).flatMap(n -> reader.parsed(n,
                v -> NAME_SYNTAX.matcher(v).matches() ? Optional.of(v) : Optional.empty(),
                v -> Messages.notName(v, "remote desktop name")));
        name.ifPresent(v -> d.get(NAME).ifPresent(n -> {
            String first = firstUse.putIfAbsent(v, n.path());
            if (first != null) {
                reader.problems().error(n, Messages.alreadyUsed("'" + v + "'", first));
            }
        }));
        Optional<HostPort> address = d.require(ADDRESS).flatMap(n -> reader.parsed(n, HostSyntax::connectAddress,
                Messages::notRemoteDesktopAddress));
        String portalHost = portal == null ? null : URI.create(portal.origin()).getHost().toLowerCase(Locale.ROOT);
        d.get(PORTAL_HOST).ifPresent(n -> reader.parsed(n, v -> Optional.of(v.toLowerCase(Locale.ROOT)),
                v -> v).ifPresent(v -> {
                    if (portalHost != null && !v.equals(portalHost)) {
                        reader.problems().error(n, Messages.remoteDesktopPortalHost("'" + v + "'", portalHost));
                    }
                }));
        List<Subject> subjects = new ArrayList<>();
        d.get(SUBJECTS).flatMap(n -> reader.listOf(n, this::subject)).ifPresent(subjects::addAll);
        d.get(GROUPS).flatMap(n -> reader.listOf(n, g -> reader.parsed(g,
                v -> GROUP.matcher(v).matches() ? Optional.of(new Subject(Subject.Kind.GROUP, v)) : Optional.empty(),
                Messages::notSubject))).ifPresent(subjects::addAll);
        if (!d.has(SUBJECTS) && !d.has(GROUPS)) {
            reader.problems().error(node, Messages.remoteDesktopNeedsSubjects());
        }
        d.get(POLICY).ifPresent(n -> reader.parsed(n, Optional::of, v -> v).ifPresent(v -> {
            if (!v.equals(PolicyKind.TWO_FACTOR.yamlName())) {
                reader.problems().error(n, Messages.remoteDesktopNeedsTwoFactor("'" + v + "'"));
            }
        }));
        Set<SecondFactor> factors = new LinkedHashSet<>();
        d.get(FACTORS).flatMap(n -> reader.listOf(n, f -> reader.parsed(f, v -> Arrays.stream(SecondFactor.values())
                .filter(k -> k.yamlName().equals(v)).findFirst(), Messages::notFactor))).ifPresent(factors::addAll);
        Duration maxDuration = d.get(MAX_DURATION).flatMap(reader::duration).orElse(null);
        Duration idle = d.get(IDLE_TIMEOUT).flatMap(reader::duration).orElse(null);
        String consent = d.get(CONSENT).flatMap(n -> reader.parsed(n,
                v -> v.isBlank() || v.length() > MAX_CONSENT_CHARS || v.indexOf('\0') >= 0
                        ? Optional.empty() : Optional.of(v),
                v -> Messages.notConsent(MAX_CONSENT_CHARS))).orElse(null);
        if (reader.problems().errorCount() != before || name.isEmpty() || address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RemoteDesktopConfig(name.get(), address.get(),
                portalHost == null ? "" : portalHost, subjects, factors, maxDuration, idle, consent));
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
