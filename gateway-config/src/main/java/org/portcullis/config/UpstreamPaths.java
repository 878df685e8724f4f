package org.portcullis.config;

/**
 * How a route's upstream reads request paths: the route key {@code paths}. The policy must match paths the way the
 * upstream reads them (SECURITY-RULES 22), or {@code /ADMIN} reaches an IIS upstream's {@code /admin} on a weaker rule.
 */
public enum UpstreamPaths {
    /** The default: {@code /Admin} and {@code /admin} are different resources (RFC 3986 §6.2.2.1). */
    CASE_SENSITIVE("case_sensitive"),
    /**
     * Windows upstreams (IIS, Windows file shares): letters compare without case, so rules and path prefixes do
     * too, and the forms Windows folds together (a segment ending in '.' or space, 8.3 short names such as
     * {@code ADMINI~1}, {@code :} alternate data streams) are refused.
     */
    CASE_INSENSITIVE("case_insensitive");

    private final String yamlName;

    UpstreamPaths(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public boolean foldsCase() {
        return this == CASE_INSENSITIVE;
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
