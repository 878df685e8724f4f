package org.portcullis.config;

import java.util.Objects;

/**
 * A rule path as written in YAML: a canonical path prefix in which a segment may be {@code *} (exactly one segment)
 * or {@code **} (any number of segments, including none). Matching is done by the policy engine on canonical paths.
 */
public record PathPattern(String pattern) {
    public PathPattern {
        Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public String toString() {
        return pattern;
    }
}
