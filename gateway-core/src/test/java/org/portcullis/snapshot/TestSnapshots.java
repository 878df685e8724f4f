package org.portcullis.snapshot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.PasswordHash;
import org.portcullis.config.ServerConfig;
import org.portcullis.pool.Transport;
import org.portcullis.pool.UpstreamPools;

/**
 * Real snapshots for unit tests of the request path, built the way {@code GatewayServer.start} builds them: a YAML
 * file through the {@link ConfigLoader} (with its validators), then {@link GatewaySnapshot#build}. The pools are
 * created but never connect (NIO, so no native transport is loaded for nothing).
 */
public final class TestSnapshots {
    private TestSnapshots() {
    }

    public static GatewayConfig config(String yaml) {
        try {
            Path file = Files.createTempFile("portcullis-unit", ".yaml");
            try {
                Files.writeString(file, yaml, StandardCharsets.UTF_8);
                return new ConfigLoader(java.util.Map.of()).load(file).config();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception e) {
            throw new IllegalStateException("test config does not load: " + e.getMessage(), e);
        }
    }

    /**
     * {@code yaml} with the sections sign-in needs ({@code storage}, {@code users}) appended, in a fresh folder: for
     * configs with a {@code portal} or a {@code jwt} route. The store is never opened here; snapshots do not use it.
     */
    public static String withStore(String yaml) {
        try {
            Path dir = Files.createTempDirectory("portcullis-unit-store");
            dir.toFile().deleteOnExit();
            Path users = dir.resolve("users.yaml");
            Files.writeString(users, """
                    users:
                      - username: alice
                        display_name: Alice Smith
                        email: alice@example.org
                        groups: [clinicians]
                        password: "%s"
                    """.formatted(new PasswordHash(PasswordHash.MIN_MEMORY_KIB, 2, 1, new byte[16], new byte[32])
                    .encoded()), StandardCharsets.UTF_8);
            users.toFile().deleteOnExit();
            return yaml + """
                    storage:
                      data_dir: %s
                      encryption_key: "%s"
                    users:
                      file: %s
                    """.formatted(dir.resolve("data"), "ab".repeat(32), users);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static GatewaySnapshot snapshot(String yaml) {
        try {
            return GatewaySnapshot.build(config(yaml), new UpstreamPools(Transport.of(ServerConfig.Transport.NIO)),
                    Clock.systemUTC());
        } catch (Exception e) {
            throw new IllegalStateException("test snapshot does not build: " + e.getMessage(), e);
        }
    }
}
