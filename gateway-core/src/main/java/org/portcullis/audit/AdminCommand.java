package org.portcullis.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * An admin ran a state-changing command ({@code sessions revoke}, {@code users unlock}, {@code users invite},
 * {@code storage rotate-key}). Recorded by the command in the store and moved into the audit trail by the running
 * gateway ({@link AdminEventRelay}), so {@code at} is when the command ran, not when the line was written.
 *
 * @param command the command, dotted ({@code sessions.revoke})
 * @param actor   the operating-system account that ran it
 * @param target  the account or selector it acted on, or null
 * @param detail  a short, secret-free result ({@code revoked=2}), or null
 */
public record AdminCommand(Instant at, String command, AuditOutcome outcome, String actor, String target,
                           String detail) implements AuditEvent {

    public static final String ACTION = "admin.command";

    public AdminCommand {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(actor, "actor");
    }

    @Override
    public String action() {
        return ACTION;
    }

    @Override
    public String reason() {
        return command;
    }
}
