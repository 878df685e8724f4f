package org.portcullis.config;

import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code storage}: {@code data_dir} and {@code encryption_key} are both required. The key's format is checked
 * here, so a truncated key fails the load with its line; whether it is the key the store was sealed with can only be
 * checked at start-up. A key is never shown in a message, not even when written inline: the message gives its length.
 *
 * <p>The accepted encodings are the ones the gateway's {@code EncryptionKey} reads: 64 hex digits, or base64 (URL-safe
 * when it contains {@code -} or {@code _}), surrounding white space ignored.
 */
final class StorageValidator {
    static final String DATA_DIR = "data_dir";
    static final String ENCRYPTION_KEY = "encryption_key";
    static final List<String> KEYS = List.of(DATA_DIR, ENCRYPTION_KEY);
    static final int KEY_BYTES = 32;
    private static final int HEX_LENGTH = KEY_BYTES * 2;

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
        if (dataDir.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StorageConfig(dataDir.get(), key.get()));
    }

    private Optional<String> encryptionKey(YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        String text = scalar.get().text().strip();
        if (text.isEmpty()) {
            reader.problems().error(node, Messages.emptyString());
            return Optional.empty();
        }
        byte[] bytes = decode(text);
        if (bytes == null || bytes.length != KEY_BYTES) {
            reader.problems().error(node, Messages.notEncryptionKey(ValueDisplay.redacted(scalar.get().text())));
            return Optional.empty();
        }
        java.util.Arrays.fill(bytes, (byte) 0);
        return Optional.of(text);
    }

    /** The key's bytes, or null when it is neither hex nor base64. */
    static byte[] decode(String text) {
        if (text.length() == HEX_LENGTH && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(text);
        }
        try {
            if (text.indexOf('-') >= 0 || text.indexOf('_') >= 0) {
                return Base64.getUrlDecoder().decode(text);
            }
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null; // its message may quote a character of the key
        }
    }
}
