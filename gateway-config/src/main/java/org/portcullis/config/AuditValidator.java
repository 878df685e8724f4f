package org.portcullis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code audit}. {@code file} is required and must be writable now (its directory exists and is writable), so
 * a typo fails the load instead of the first denial. {@code key} is required: an audit trail without its chain key
 * cannot be shown to be unedited; it is read and reported exactly like {@code storage.encryption_key} (never shown,
 * only its length) and must not be that key. {@code rotate} defaults to {@code daily}; {@code max_size} (default
 * 100MiB) only with {@code rotate: size}. {@code flush} defaults to {@code interval}; {@code flush_interval} (default
 * 1s, 10ms to 1m) only with {@code flush: interval}. {@code syslog} (optional) needs an {@code address}; {@code tls}
 * defaults to true, {@code ca_bundle} only with it, {@code app_name} defaults to {@code portcullis}.
 */
final class AuditValidator {
    static final String FILE = "file";
    static final String LOG_ALLOWED = "log_allowed";
    static final String KEY = "key";
    static final String ROTATE = "rotate";
    static final String MAX_SIZE = "max_size";
    static final String COMPRESS = "compress";
    static final String FLUSH = "flush";
    static final String FLUSH_INTERVAL = "flush_interval";
    static final String SYSLOG = "syslog";
    static final String NODE_ID = "node_id";
    static final List<String> KEYS = List.of(FILE, LOG_ALLOWED, KEY, ROTATE, MAX_SIZE, COMPRESS, FLUSH, FLUSH_INTERVAL,
            SYSLOG, NODE_ID);
    /** A node id as it appears in every line and in messages: short, no spaces, nothing to escape. */
    static final java.util.regex.Pattern NODE_ID_CHARS = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String SYSLOG_ADDRESS = "address";
    static final String SYSLOG_TLS = "tls";
    static final String SYSLOG_CA_BUNDLE = "ca_bundle";
    static final String SYSLOG_APP_NAME = "app_name";
    static final List<String> SYSLOG_KEYS = List.of(SYSLOG_ADDRESS, SYSLOG_TLS, SYSLOG_CA_BUNDLE, SYSLOG_APP_NAME);

    static final long DEFAULT_MAX_SIZE = 100L * 1024 * 1024;
    static final long MIN_MAX_SIZE = 4096;
    static final Duration MIN_FLUSH_INTERVAL = Duration.ofMillis(10);
    static final Duration MAX_FLUSH_INTERVAL = Duration.ofMinutes(1);

    private final NodeReader reader;
    private YamlNode keyNode;

    AuditValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<AuditConfig> validate(YamlNode node) {
        Optional<MappingView> found = reader.mapping(node, KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MappingView view = found.get();
        Optional<Path> file = view.require(FILE).flatMap(reader::writableFile);
        Optional<Boolean> logAllowed = optional(view, LOG_ALLOWED, reader::bool, false);
        keyNode = view.require(KEY).orElse(null);
        Optional<String> key = keyNode == null ? Optional.empty() : StorageValidator.keyText(reader, keyNode);
        Optional<AuditConfig.Rotation> rotation = optional(view, ROTATE, n -> reader.parsed(n,
                text -> Arrays.stream(AuditConfig.Rotation.values()).filter(r -> r.yaml().equals(text)).findFirst(),
                Messages::notAuditRotation), AuditConfig.DEFAULT_ROTATION);
        Optional<Long> maxSize = maxSize(view, rotation);
        Optional<Boolean> compress = optional(view, COMPRESS, reader::bool, AuditConfig.DEFAULT_COMPRESS);
        Optional<AuditConfig.Flush> flush = optional(view, FLUSH, n -> reader.parsed(n,
                text -> Arrays.stream(AuditConfig.Flush.values()).filter(f -> f.yaml().equals(text)).findFirst(),
                Messages::notAuditFlush), AuditConfig.DEFAULT_FLUSH);
        Optional<Duration> interval = flushInterval(view, flush);
        Optional<YamlNode> syslogNode = view.get(SYSLOG);
        Optional<AuditSyslogConfig> syslog = syslogNode.flatMap(this::syslog);
        Optional<YamlNode> nodeIdNode = view.get(NODE_ID);
        Optional<String> nodeId = nodeIdNode.flatMap(n -> reader.parsed(n,
                text -> Optional.of(text).filter(t -> NODE_ID_CHARS.matcher(t).matches()), Messages::notNodeId));
        if (nodeIdNode.isPresent() && nodeId.isEmpty()) {
            return Optional.empty();
        }
        if (file.isEmpty() || logAllowed.isEmpty() || key.isEmpty() || rotation.isEmpty() || maxSize.isEmpty()
                || compress.isEmpty() || flush.isEmpty() || interval.isEmpty()
                || (syslogNode.isPresent() && syslog.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new AuditConfig(file.get(), logAllowed.get(), key.get(), rotation.get(), maxSize.get(),
                compress.get(), flush.get(), interval.get(), syslog.orElse(null), nodeId.orElse(null)));
    }

    private Optional<AuditSyslogConfig> syslog(YamlNode node) {
        Optional<MappingView> found = reader.mapping(node, SYSLOG_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MappingView view = found.get();
        Optional<HostPort> address = view.require(SYSLOG_ADDRESS).flatMap(n -> reader.parsed(n,
                HostSyntax::connectAddress, Messages::notSyslogAddress));
        Optional<Boolean> tls = optional(view, SYSLOG_TLS, reader::bool, AuditSyslogConfig.DEFAULT_TLS);
        Optional<YamlNode> caNode = view.get(SYSLOG_CA_BUNDLE);
        Optional<Path> caBundle = Optional.empty();
        boolean caFailed = false;
        if (caNode.isPresent()) {
            if (tls.isPresent() && !tls.get()) {
                reader.problems().error(caNode.get(), Messages.onlyWithSetting(SYSLOG_TLS, "true"));
                caFailed = true;
            } else {
                caBundle = reader.readableFile(caNode.get());
                caFailed = caBundle.isEmpty();
            }
        }
        Optional<String> appName = optional(view, SYSLOG_APP_NAME, n -> reader.parsed(n,
                text -> AuditSyslogConfig.isAppName(text) ? Optional.of(text) : Optional.empty(),
                Messages::notSyslogAppName), AuditSyslogConfig.DEFAULT_APP_NAME);
        if (address.isEmpty() || tls.isEmpty() || caFailed || appName.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AuditSyslogConfig(address.get(), tls.get(), caBundle.orElse(null), appName.get()));
    }

    /** After {@code storage} is validated: the two keys must differ (compared as bytes, not as text). */
    void rejectSharedKey(AuditConfig audit, StorageConfig storage) {
        if (audit == null || storage == null || keyNode == null) {
            return;
        }
        byte[] auditKey = EncryptionKeyText.decode(audit.keyText());
        byte[] storageKey = EncryptionKeyText.decode(storage.encryptionKeyText());
        if (Arrays.equals(auditKey, storageKey)) {
            reader.problems().error(keyNode, Messages.sameKeyAsStorage(ValueDisplay.redacted(audit.keyText())));
        }
        Arrays.fill(auditKey, (byte) 0);
        Arrays.fill(storageKey, (byte) 0);
    }

    private Optional<Long> maxSize(MappingView view, Optional<AuditConfig.Rotation> rotation) {
        Optional<YamlNode> node = view.get(MAX_SIZE);
        if (rotation.isPresent() && rotation.get() != AuditConfig.Rotation.SIZE) {
            node.ifPresent(n -> reader.problems().error(n, Messages.onlyWithSetting(ROTATE, "size")));
            return node.isPresent() ? Optional.empty() : Optional.of(0L);
        }
        if (node.isEmpty()) {
            return Optional.of(DEFAULT_MAX_SIZE);
        }
        return reader.byteSize(node.get()).flatMap(size -> {
            if (size < MIN_MAX_SIZE) {
                reader.problems().error(node.get(), Messages.outOfRange(ValueDisplay.show((YamlNode.YamlScalar)
                        node.get()), "4KiB", "any larger size"));
                return Optional.empty();
            }
            return Optional.of(size);
        });
    }

    private Optional<Duration> flushInterval(MappingView view, Optional<AuditConfig.Flush> flush) {
        Optional<YamlNode> node = view.get(FLUSH_INTERVAL);
        if (flush.isPresent() && flush.get() != AuditConfig.Flush.INTERVAL && node.isPresent()) {
            reader.problems().error(node.get(), Messages.onlyWithSetting(FLUSH, "interval"));
            return Optional.empty();
        }
        if (node.isEmpty()) {
            return Optional.of(AuditConfig.DEFAULT_FLUSH_INTERVAL);
        }
        return reader.duration(node.get()).flatMap(interval -> {
            if (interval.compareTo(MIN_FLUSH_INTERVAL) < 0 || interval.compareTo(MAX_FLUSH_INTERVAL) > 0) {
                reader.problems().error(node.get(), Messages.outOfRange(ValueDisplay.show((YamlNode.YamlScalar)
                        node.get()), "10ms", "1m"));
                return Optional.empty();
            }
            return Optional.of(interval);
        });
    }

    private static <T> Optional<T> optional(MappingView view, String key,
                                            java.util.function.Function<YamlNode, Optional<T>> read, T fallback) {
        Optional<YamlNode> node = view.get(key);
        return node.isPresent() ? node.flatMap(read) : Optional.of(fallback);
    }
}
