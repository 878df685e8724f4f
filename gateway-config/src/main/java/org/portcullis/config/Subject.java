package org.portcullis.config;

import java.util.Locale;
import java.util.Objects;

/** One term of a rule's {@code subjects}: {@code user:alice} or {@code group:clinicians}. Names compare case-insensitively. */
public record Subject(Kind kind, String name) {
    public enum Kind { USER, GROUP }

    public Subject {
        Objects.requireNonNull(kind, "kind");
        name = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return (kind == Kind.USER ? "user:" : "group:") + name;
    }
}
