package org.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code storage}: where the gateway keeps its state (sessions, failure counters, encrypted factor secrets) and the
 * key its secrets are sealed with. Absent from the config ({@code GatewayConfig.storage() == null}), the gateway keeps
 * no local store.
 *
 * @param backend          where the durable state lives ({@code storage.backend}, default {@code sqlite})
 * @param dataDir          absolute; an existing directory, or one that can be created (its parent existed when the
 *                         config loaded). The SQLite file's home; with {@code postgresql} it holds no shared state
 *                         (the admin commands that take {@code --data-dir} still read it)
 * @param encryptionKeyText the key as validated text (32 bytes as base64, base64url or 64 hex digits, surrounding white
 *                         space removed). Never printed: {@link #toString()} shows only its length, so a config
 *                         logged by mistake does not leak it.
 * @param postgresql       the shared database when {@code backend} is {@code postgresql}, otherwise null
 */
public record StorageConfig(StorageBackend backend, Path dataDir, String encryptionKeyText,
                            PostgresqlConfig postgresql) {
    public StorageConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(encryptionKeyText, "encryptionKeyText");
        if ((backend == StorageBackend.POSTGRESQL) != (postgresql != null)) {
            throw new IllegalArgumentException("StorageConfig: storage.postgresql is set exactly when the backend is"
                    + " postgresql");
        }
    }

    /** The default backend, SQLite under {@code dataDir}. */
    public StorageConfig(Path dataDir, String encryptionKeyText) {
        this(StorageBackend.SQLITE, dataDir, encryptionKeyText, null);
    }

    @Override
    public String toString() {
        return "StorageConfig[backend=" + backend + ", dataDir=" + dataDir + ", encryptionKeyText="
                + ValueDisplay.redacted(encryptionKeyText) + ", postgresql=" + postgresql + "]";
    }
}
