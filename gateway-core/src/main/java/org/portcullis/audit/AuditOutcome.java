package org.portcullis.audit;

/**
 * ECS {@code event.outcome}: {@code success} for an allowed request or an applied reload, {@code failure} for a
 * refusal or a refused reload.
 */
public enum AuditOutcome {
    SUCCESS("success"),
    FAILURE("failure");

    private final String ecsValue;

    AuditOutcome(String ecsValue) {
        this.ecsValue = ecsValue;
    }

    /** The value written to {@code event.outcome}. */
    public String ecsValue() {
        return ecsValue;
    }
}
