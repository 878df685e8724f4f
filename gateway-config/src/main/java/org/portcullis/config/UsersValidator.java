package org.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code users}: {@code file} is required and readable now. Its content is checked by {@link UsersFileLoader}
 * when the gateway reads it; the file is not watched with the config (it has its own reloader).
 */
final class UsersValidator {
    static final String FILE = "file";
    static final List<String> KEYS = List.of(FILE);

    private final NodeReader reader;

    UsersValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<UsersConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> file = view.get().require(FILE).flatMap(reader::readableUnwatchedFile);
        return file.map(UsersConfig::new);
    }
}
