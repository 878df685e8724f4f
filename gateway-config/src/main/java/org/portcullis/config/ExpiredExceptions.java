package org.portcullis.config;

/**
 * What a rule whose exception is past its {@code review_by} date does ({@code access_control.exceptions_expired}).
 * An exception is an approval for a limited time: once it lapses, the weak rule it covered is no longer approved.
 */
public enum ExpiredExceptions {
    /** The rule refuses every request it matches, as if it were {@code policy: deny} (the default). */
    DENY("deny"),
    /** The rule keeps working; every start and reload warns loudly. For a site that must not lose access overnight. */
    WARN("warn");

    private final String yamlName;

    ExpiredExceptions(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
