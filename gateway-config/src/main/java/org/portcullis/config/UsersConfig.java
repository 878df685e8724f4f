package org.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code users}: the users file ({@link UsersFileLoader}) and, optionally, a directory ({@link LdapConfig}). Absent
 * ({@code GatewayConfig.users() == null}), nobody can sign in. Deliberately not among
 * {@link GatewayConfig#referencedFiles()}: the users file has its own reloader, and a password change must not reload
 * routes and access rules. With both, a login is looked up in the file first (docs/ldap.md, "Both sources").
 *
 * @param file absolute; readable when the config loaded
 * @param ldap the directory, or null
 */
public record UsersConfig(Path file, LdapConfig ldap) {
    public UsersConfig {
        Objects.requireNonNull(file, "file");
    }

    /** Only a users file. */
    public UsersConfig(Path file) {
        this(file, null);
    }
}
