package org.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code audit}: where the audit trail is appended. Absent from the config ({@code GatewayConfig.audit() == null}),
 * no audit file is written.
 *
 * @param file       the JSON-lines file, absolute; its directory existed and was writable when the config loaded
 * @param logAllowed whether allowed (forwarded) requests are written too; refusals always are
 */
public record AuditConfig(Path file, boolean logAllowed) {
    public AuditConfig {
        Objects.requireNonNull(file, "file");
    }
}
