package org.portcullis.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** One term of a rule's {@code subjects}: {@code user:alice} or {@code group:clinicians}. Names compare case-insensitively. */
public record Subject(Kind kind, String name) {
    public enum Kind { USER, GROUP }

    public Subject {
        Objects.requireNonNull(kind, "kind");
        name = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
    }

    /** Whether any of {@code subjects} names {@code user} or one of {@code groups} (case-insensitively). */
    public static boolean anyAllows(List<Subject> subjects, String user, Set<String> groups) {
        String lowerUser = user.toLowerCase(Locale.ROOT);
        for (Subject subject : subjects) {
            if (subject.kind() == Kind.USER && subject.name().equals(lowerUser)) {
                return true;
            }
            if (subject.kind() == Kind.GROUP
                    && groups.stream().anyMatch(g -> g.toLowerCase(Locale.ROOT).equals(subject.name()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return (kind == Kind.USER ? "user:" : "group:") + name;
    }
}
