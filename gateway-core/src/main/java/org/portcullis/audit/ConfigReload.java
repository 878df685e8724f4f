package org.portcullis.audit;

import java.util.Objects;

/**
 * A config reload was attempted. Only the file and how many errors refused it: never the config's contents or the
 * error texts, which may quote values.
 *
 * @param file       the config file that was read
 * @param errorCount the number of errors that refused the reload (0 when it applied)
 */
public record ConfigReload(AuditOutcome outcome, String reason, String file, int errorCount) implements AuditEvent {

    public static final String ACTION = "config.reload";

    public ConfigReload {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String action() {
        return ACTION;
    }
}
