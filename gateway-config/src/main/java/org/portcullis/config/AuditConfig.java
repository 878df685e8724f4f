package org.portcullis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code audit}: where the audit trail is appended, the key its hash chain is signed with, when its files rotate and
 * how soon lines reach the disk. Absent from the config ({@code GatewayConfig.audit() == null}), no audit file is
 * written.
 *
 * @param file          the active JSON-lines file, absolute; its directory existed and was writable when the config
 *                      loaded. Rotated files sit beside it (docs/audit-log.md)
 * @param logAllowed    whether allowed (forwarded) requests are written too; refusals always are
 * @param keyText       the HMAC-SHA256 key of the chain as validated text (32 bytes as base64, base64url or 64 hex
 *                      digits, white space removed). Never printed: {@link #toString()} shows only its length
 * @param rotation      when the active file is closed and a new one started
 * @param maxSize       with {@link Rotation#SIZE}, the size in bytes at which the file rotates; 0 otherwise
 * @param compress      whether rotated files are gzip-compressed
 * @param flush         when written lines are forced to the disk
 * @param flushInterval with {@link Flush#INTERVAL}, the longest time a line waits in memory before it is written and
 *                      forced to the disk
 * @param syslog        where a copy of every line is sent, or null for none
 * @param nodeId        {@code audit.node_id}: the gateway node this trail belongs to, written on every line as
 *                      {@code service.node.name} and naming the trail's end in a shared store; null when not set (a
 *                      node on a PostgreSQL store then takes its host name when it starts)
 */
public record AuditConfig(Path file, boolean logAllowed, String keyText, Rotation rotation, long maxSize,
                          boolean compress, Flush flush, Duration flushInterval, AuditSyslogConfig syslog,
                          String nodeId) {

    /** {@code audit.rotate}. */
    public enum Rotation {
        /** One file for ever (or rotated from outside with {@code copytruncate}). */
        NEVER("never"),
        /** A new file at the first event of each UTC day. */
        DAILY("daily"),
        /** A new file when the next batch would take the file past {@code max_size}. */
        SIZE("size");

        private final String yaml;

        Rotation(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    /** {@code audit.flush}. */
    public enum Flush {
        /** Every batch of events is written and forced to the disk before the next one. */
        EVERY_EVENT("every_event"),
        /**
         * Events are written and forced at least every {@code flush_interval}; sign-in, session, admin, reload and
         * recovery events are written and forced at once.
         */
        INTERVAL("interval");

        private final String yaml;

        Flush(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    public static final Rotation DEFAULT_ROTATION = Rotation.DAILY;
    public static final boolean DEFAULT_COMPRESS = false;
    public static final Flush DEFAULT_FLUSH = Flush.INTERVAL;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

    public AuditConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keyText, "keyText");
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(flush, "flush");
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (rotation == Rotation.SIZE && maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be positive with size rotation");
        }
    }

    /** Without a node id. */
    public AuditConfig(Path file, boolean logAllowed, String keyText, Rotation rotation, long maxSize,
                       boolean compress, Flush flush, Duration flushInterval, AuditSyslogConfig syslog) {
        this(file, logAllowed, keyText, rotation, maxSize, compress, flush, flushInterval, syslog, null);
    }

    /** This config naming node {@code id} (a cluster node's trail). */
    public AuditConfig withNodeId(String id) {
        return new AuditConfig(file, logAllowed, keyText, rotation, maxSize, compress, flush, flushInterval, syslog,
                id);
    }

    /** Without syslog output. */
    public AuditConfig(Path file, boolean logAllowed, String keyText, Rotation rotation, long maxSize,
                       boolean compress, Flush flush, Duration flushInterval) {
        this(file, logAllowed, keyText, rotation, maxSize, compress, flush, flushInterval, null);
    }

    /** Defaults for everything but the file, the key and {@code log_allowed}. */
    public static AuditConfig of(Path file, boolean logAllowed, String keyText) {
        return new AuditConfig(file, logAllowed, keyText, DEFAULT_ROTATION, 0, DEFAULT_COMPRESS, DEFAULT_FLUSH,
                DEFAULT_FLUSH_INTERVAL);
    }

    /** This config with {@code log_allowed} as given: the one setting that applies on reload without a restart. */
    public AuditConfig withLogAllowed(boolean value) {
        return new AuditConfig(file, value, keyText, rotation, maxSize, compress, flush, flushInterval, syslog,
                nodeId);
    }

    @Override
    public String toString() {
        return "AuditConfig[file=" + file + ", logAllowed=" + logAllowed + ", keyText="
                + ValueDisplay.redacted(keyText) + ", rotation=" + rotation + ", maxSize=" + maxSize + ", compress="
                + compress + ", flush=" + flush + ", flushInterval=" + flushInterval + ", syslog=" + syslog + ", nodeId=" + nodeId + "]";
    }
}
