package org.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code audit}: {@code file} is required and must be writable now (its directory exists and is writable),
 * so a typo fails the load instead of the first denial; {@code log_allowed} defaults to false.
 */
final class AuditValidator {
    static final String FILE = "file";
    static final String LOG_ALLOWED = "log_allowed";
    static final List<String> KEYS = List.of(FILE, LOG_ALLOWED);

    private final NodeReader reader;

    AuditValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<AuditConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> file = view.get().require(FILE).flatMap(reader::writableFile);
        Optional<YamlNode> logAllowedNode = view.get().get(LOG_ALLOWED);
        Optional<Boolean> logAllowed = logAllowedNode.isPresent()
                ? logAllowedNode.flatMap(reader::bool) : Optional.of(false);
        if (file.isEmpty() || logAllowed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AuditConfig(file.get(), logAllowed.get()));
    }
}
