package org.portcullis.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code entry_points}: each item has an {@code address} (host:port of the system itself), an optional
 * {@code scheme} ({@code http} or {@code https} for a web app), and exactly one of {@code route}, {@code desktop} or
 * {@code target} naming the gateway's protected system in front of it. A name that is not in this config is an
 * error: an entry point "protected" by nothing would make a coverage check pass for the wrong reason.
 */
final class EntryPointsValidator {
    static final String ADDRESS = "address";
    static final String SCHEME = "scheme";
    static final List<String> KEYS = List.of(ADDRESS, SCHEME, ProtectedRef.Kind.ROUTE.yamlName(),
            ProtectedRef.Kind.DESKTOP.yamlName(), ProtectedRef.Kind.TARGET.yamlName());

    private final NodeReader reader;
    private final Map<ProtectedRef.Kind, List<String>> names;

    /** @param names the names of the config's protected systems, by kind (a kind not in the map has none) */
    EntryPointsValidator(NodeReader reader, Map<ProtectedRef.Kind, List<String>> names) {
        this.reader = reader;
        this.names = names;
    }

    Optional<List<EntryPoint>> validate(YamlNode node) {
        return reader.listOf(node, this::entryPoint);
    }

    private Optional<EntryPoint> entryPoint(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView entry = view.get();
        int before = reader.problems().errorCount();
        Optional<HostPort> address = entry.require(ADDRESS).flatMap(n -> reader.parsed(n,
                HostSyntax::connectAddress, CoverageMessages::notEntryPointAddress));
        String scheme = entry.get(SCHEME).flatMap(n -> reader.parsed(n,
                s -> s.equals("http") || s.equals("https") ? Optional.of(s) : Optional.empty(),
                CoverageMessages::notEntryPointScheme)).orElse(null);
        List<ProtectedRef> refs = new ArrayList<>();
        for (ProtectedRef.Kind kind : ProtectedRef.Kind.values()) {
            entry.get(kind.yamlName()).flatMap(n -> protectedRef(kind, n)).ifPresent(refs::add);
        }
        long named = KEYS.stream().skip(2).filter(entry::has).count();
        if (named != 1) {
            reader.problems().error(node, CoverageMessages.entryPointNeedsOneSystem());
        }
        if (reader.problems().errorCount() != before || refs.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(new EntryPoint(address.get(), scheme, refs.get(0)));
    }

    private Optional<ProtectedRef> protectedRef(ProtectedRef.Kind kind, YamlNode node) {
        List<String> known = names.getOrDefault(kind, List.of());
        return reader.parsed(node, v -> known.contains(v) ? Optional.of(new ProtectedRef(kind, v)) : Optional.empty(),
                v -> CoverageMessages.unknownProtectedSystem(kind.yamlName(), v, known));
    }
}
