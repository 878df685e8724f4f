package org.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code users}: {@code file} is required and readable now; {@code ldap} (optional) by {@link LdapValidator}. Its content is checked by {@link UsersFileLoader}
 * when the gateway reads it; the file is not watched with the config (it has its own reloader).
 */
final class UsersValidator {
    static final String FILE = "file";
    static final String LDAP = "ldap";
    static final List<String> KEYS = List.of(FILE, LDAP);

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
        Optional<YamlNode> ldapNode = view.get().get(LDAP);
        Optional<LdapConfig> ldap = ldapNode.flatMap(n -> new LdapValidator(reader).validate(n));
        if (file.isEmpty() || (ldapNode.isPresent() && ldap.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new UsersConfig(file.get(), ldap.orElse(null)));
    }
}
