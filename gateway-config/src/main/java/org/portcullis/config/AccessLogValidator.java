package org.portcullis.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks {@code server.access_log}. Every key is optional: {@code enabled} defaults to true, {@code file} to stderr,
 * {@code format} to {@code text}. {@code file} must be writable now (its directory exists and is writable), so a
 * typo fails the load instead of the first request. {@code rotate} (default {@code daily}) only with a file, as
 * stderr cannot be renamed; {@code max_size} (default 100MiB, at least 4KiB) only with {@code rotate: size}, as in
 * {@code audit}.
 */
final class AccessLogValidator {
    static final String ENABLED = "enabled";
    static final String FILE = "file";
    static final String FORMAT = "format";
    static final String ROTATE = "rotate";
    static final String MAX_SIZE = "max_size";
    static final List<String> KEYS = List.of(ENABLED, FILE, FORMAT, ROTATE, MAX_SIZE);

    private final NodeReader reader;

    AccessLogValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<AccessLogConfig> validate(YamlNode node) {
        Optional<MappingView> found = reader.mapping(node, KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MappingView view = found.get();
        Optional<Boolean> enabled = optional(view, ENABLED, reader::bool, true);
        Optional<YamlNode> fileNode = view.get(FILE);
        Optional<Path> file = fileNode.flatMap(reader::writableFile);
        Optional<AccessLogConfig.Format> format = optional(view, FORMAT, n -> reader.parsed(n,
                text -> Arrays.stream(AccessLogConfig.Format.values()).filter(f -> f.yaml().equals(text)).findFirst(),
                Messages::notAccessLogFormat), AccessLogConfig.DEFAULT_FORMAT);
        Optional<AuditConfig.Rotation> rotation = rotation(view, fileNode.isPresent());
        Optional<Long> maxSize = maxSize(view, rotation);
        if (enabled.isEmpty() || (fileNode.isPresent() && file.isEmpty()) || format.isEmpty() || rotation.isEmpty()
                || maxSize.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AccessLogConfig(enabled.get(), file.orElse(null), format.get(), rotation.get(),
                maxSize.get()));
    }

    private Optional<AuditConfig.Rotation> rotation(MappingView view, boolean toFile) {
        Optional<YamlNode> node = view.get(ROTATE);
        if (!toFile) {
            node.ifPresent(n -> reader.problems().error(n, Messages.onlyWithAccessLogFile()));
            return node.isPresent() ? Optional.empty() : Optional.of(AuditConfig.Rotation.NEVER);
        }
        return node.isEmpty() ? Optional.of(AccessLogConfig.DEFAULT_ROTATION) : reader.parsed(node.get(),
                text -> Arrays.stream(AuditConfig.Rotation.values()).filter(r -> r.yaml().equals(text)).findFirst(),
                Messages::notAuditRotation);
    }

    private Optional<Long> maxSize(MappingView view, Optional<AuditConfig.Rotation> rotation) {
        Optional<YamlNode> node = view.get(MAX_SIZE);
        if (rotation.isPresent() && rotation.get() != AuditConfig.Rotation.SIZE) {
            node.ifPresent(n -> reader.problems().error(n, Messages.onlyWithSetting(ROTATE, "size")));
            return node.isPresent() ? Optional.empty() : Optional.of(0L);
        }
        if (node.isEmpty()) {
            return Optional.of(AuditValidator.DEFAULT_MAX_SIZE);
        }
        return reader.byteSize(node.get()).flatMap(size -> {
            if (size < AuditValidator.MIN_MAX_SIZE) {
                reader.problems().error(node.get(), Messages.outOfRange(ValueDisplay.show((YamlNode.YamlScalar)
                        node.get()), "4KiB", "any larger size"));
                return Optional.empty();
            }
            return Optional.of(size);
        });
    }

    private static <T> Optional<T> optional(MappingView view, String key, Function<YamlNode, Optional<T>> read,
                                            T fallback) {
        Optional<YamlNode> node = view.get(key);
        return node.isPresent() ? node.flatMap(read) : Optional.of(fallback);
    }
}
