package org.portcullis.policy;

/** The fields of a rule, in the order the engine checks them; names as written in YAML. */
public enum MatchField {
    HOSTS("hosts"),
    PATHS("paths"),
    METHODS("methods"),
    NETWORKS("networks"),
    SUBJECTS("subjects");

    private final String yamlName;

    MatchField(String yamlName) {
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
