package org.portcullis.config;

import java.util.Objects;

/**
 * Names one protected system of the gateway: a route, a remote desktop or a TCP target. Written in YAML as one of the
 * keys {@code route}, {@code desktop} or {@code target} with the system's name.
 */
public record ProtectedRef(Kind kind, String name) {
    public enum Kind {
        ROUTE("route"),
        DESKTOP("desktop"),
        TARGET("target");

        private final String yamlName;

        Kind(String yamlName) {
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

    public ProtectedRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return kind.yamlName() + " " + name;
    }
}
