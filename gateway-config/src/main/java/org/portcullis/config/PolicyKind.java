package org.portcullis.config;

/** What a matching access rule demands before a request is forwarded. */
public enum PolicyKind {
    /** Forward without any authentication (health checks, public assets). */
    BYPASS("bypass"),
    /** A signed-in session with the first factor. */
    ONE_FACTOR("one_factor"),
    /** A signed-in session with the first factor and a second factor. */
    TWO_FACTOR("two_factor"),
    /** Refuse. */
    DENY("deny");

    private final String yamlName;

    PolicyKind(String yamlName) {
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
