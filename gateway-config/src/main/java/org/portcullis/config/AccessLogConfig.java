package org.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code server.access_log}: whether the gateway writes one line per request, where to (a file, or stderr), in which
 * form, and when its file rotates. Read once at start: a change needs a restart (docs/configuration.md).
 *
 * @param enabled  whether lines are written at all ({@code -Dportcullis.access.level=OFF} also switches them off)
 * @param file     the active file, absolute, or null for stderr; its directory existed and was writable when the
 *                 config loaded. Rotated files sit beside it
 * @param format   plain {@code key=value} text or JSON lines with the audit trail's field names
 * @param rotation when the active file is renamed and a new one started; {@link AuditConfig.Rotation#NEVER} without
 *                 a file
 * @param maxSize  with {@link AuditConfig.Rotation#SIZE}, the size in bytes at which the file rotates; 0 otherwise
 */
public record AccessLogConfig(boolean enabled, Path file, Format format, AuditConfig.Rotation rotation,
                              long maxSize) {

    /** {@code server.access_log.format}. */
    public enum Format {
        /** {@code request_id=… client=… method=… target=… status=… route=… rule=… outcome=… duration_us=…}. */
        TEXT("text"),
        /** One JSON object per line, field names as in the audit trail (Elastic Common Schema, written flat). */
        JSON("json");

        private final String yaml;

        Format(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    public static final Format DEFAULT_FORMAT = Format.TEXT;
    /** With a file: like the audit trail, a new file at the first line of each UTC day. */
    public static final AuditConfig.Rotation DEFAULT_ROTATION = AuditConfig.Rotation.DAILY;

    public AccessLogConfig {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(rotation, "rotation");
        if (file == null && rotation != AuditConfig.Rotation.NEVER) {
            throw new IllegalArgumentException("stderr is not rotated");
        }
        if (rotation == AuditConfig.Rotation.SIZE && maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be positive with size rotation");
        }
    }

    /** Without {@code server.access_log}: text lines on stderr. */
    public static AccessLogConfig defaults() {
        return new AccessLogConfig(true, null, DEFAULT_FORMAT, AuditConfig.Rotation.NEVER, 0);
    }

    /** Text lines to {@code file}, rotated daily. */
    public static AccessLogConfig toFile(Path file) {
        return new AccessLogConfig(true, file, DEFAULT_FORMAT, DEFAULT_ROTATION, 0);
    }
}
