package org.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code users}: the users file ({@link UsersFileLoader}). Absent ({@code GatewayConfig.users() == null}), nobody can
 * sign in. Deliberately not among {@link GatewayConfig#referencedFiles()}: the users file has its own reloader, and a
 * password change must not reload routes and access rules.
 *
 * @param file absolute; readable when the config loaded
 */
public record UsersConfig(Path file) {
    public UsersConfig {
        Objects.requireNonNull(file, "file");
    }
}
