package org.portcullis.coverage;

/** Where a rule stands with the exception register on one day. */
public enum ExceptionState {
    /** The rule names no exception. */
    NONE("none"),
    /** Approved and not due for review within 30 days. */
    VALID("valid"),
    /** Within 30 days of its review_by day. */
    REVIEW_DUE("review due"),
    /** Past review_by: the rule refuses ({@code exceptions_expired: deny}). */
    LAPSED_DENIED("lapsed, rule refuses"),
    /** Past review_by, and the rule still lets requests through ({@code exceptions_expired: warn}). */
    LAPSED_KEPT("LAPSED, rule still allows");

    private final String label;

    ExceptionState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean lapsed() {
        return this == LAPSED_DENIED || this == LAPSED_KEPT;
    }
}
