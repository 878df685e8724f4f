package org.portcullis.audit;

/**
 * One auditable fact. The time is not part of the event: the sink stamps it from its clock when the event is
 * recorded, so every line of one trail has the same time source.
 */
public sealed interface AuditEvent permits AccessDecision, AdminCommand, AuditRecovered, ConfigReload, GatewayLifecycle,
        RemoteDesktopEvent, SignInEvent {

    /** ECS {@code event.action}, stable per event type (docs/audit-log.md). */
    String action();

    AuditOutcome outcome();

    /** ECS {@code event.reason}: a code from a closed set (reject reason, policy outcome, reload outcome). */
    String reason();
}
