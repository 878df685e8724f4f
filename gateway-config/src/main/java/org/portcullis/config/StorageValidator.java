package org.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code storage}: {@code data_dir} and {@code encryption_key} are both required. The key's format is checked
 * here, so a truncated key fails the load with its line; whether it is the key the store was sealed with can only be
 * checked at start-up. A key is never shown in a message, not even when written inline: the message gives its length.
 *
 * <p>The key text is read by {@link EncryptionKeyText}, the same reading the gateway's {@code EncryptionKey} uses:
 * 64 hex digits, or base64 (URL-safe when it contains {@code -} or {@code _}), surrounding white space ignored.
 */
final class StorageValidator {
    static final String DATA_DIR = "data_dir";
    static final String ENCRYPTION_KEY = "encryption_key";
    static final String BACKEND = "backend";
    static final String POSTGRESQL = "postgresql";
    static final List<String> KEYS = List.of(BACKEND, DATA_DIR, ENCRYPTION_KEY, POSTGRESQL);

    private final NodeReader reader;

    StorageValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<StorageConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> dataDir = view.get().require(DATA_DIR).flatMap(reader::creatableDirectory);
        Optional<String> key = view.get().require(ENCRYPTION_KEY).flatMap(this::encryptionKey);
        PostgresqlValidator postgresql = new PostgresqlValidator(reader);
        Optional<StorageBackend> backend = postgresql.backend(view.get());
        if (dataDir.isEmpty() || key.isEmpty() || backend.isEmpty()) {
            return Optional.empty();
        }
        if (backend.get() == StorageBackend.SQLITE) {
            return Optional.of(new StorageConfig(dataDir.get(), key.get()));
        }
        return postgresql.validate(view.get())
                .map(pg -> new StorageConfig(StorageBackend.POSTGRESQL, dataDir.get(), key.get(), pg));
    }

    private Optional<String> encryptionKey(YamlNode node) {
        return keyText(reader, node);
    }

    /** A 32-byte key in {@link EncryptionKeyText} form, reported by length only; also {@code audit.key}. */
    static Optional<String> keyText(NodeReader reader, YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        String text = scalar.get().text().strip();
        if (text.isEmpty()) {
            reader.problems().error(node, Messages.emptyString());
            return Optional.empty();
        }
        byte[] bytes = EncryptionKeyText.decode(text);
        if (bytes == null || bytes.length != EncryptionKeyText.KEY_BYTES) {
            reader.problems().error(node, Messages.notEncryptionKey(ValueDisplay.redacted(scalar.get().text())));
            return Optional.empty();
        }
        java.util.Arrays.fill(bytes, (byte) 0);
        return Optional.of(text);
    }
}
