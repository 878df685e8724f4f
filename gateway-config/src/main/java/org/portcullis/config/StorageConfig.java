package org.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code storage}: where the gateway keeps its state (sessions, failure counters, encrypted factor secrets) and the
 * key its secrets are sealed with. Absent from the config ({@code GatewayConfig.storage() == null}), the gateway keeps
 * no local store.
 *
 * @param dataDir          absolute; an existing directory, or one that can be created (its parent existed when the
 *                         config loaded)
 * @param encryptionKeyText the key as validated text (32 bytes as base64, base64url or 64 hex digits, surrounding white
 *                         space removed). Never printed: {@link #toString()} shows only its length, so a config
 *                         logged by mistake does not leak it.
 */
public record StorageConfig(Path dataDir, String encryptionKeyText) {
    public StorageConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(encryptionKeyText, "encryptionKeyText");
    }

    @Override
    public String toString() {
        return "StorageConfig[dataDir=" + dataDir + ", encryptionKeyText=" + ValueDisplay.redacted(encryptionKeyText)
                + "]";
    }
}
