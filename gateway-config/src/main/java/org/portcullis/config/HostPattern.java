package org.portcullis.config;

import java.util.Locale;
import java.util.Objects;

/**
 * An exact host name ({@code records.example.org}) or a wildcard ({@code *.example.org}, which matches any name
 * with at least one more label, never {@code example.org} itself). Stored lower-case without a trailing dot and
 * compared against canonical hosts only.
 */
public record HostPattern(String pattern) {
    public HostPattern {
        Objects.requireNonNull(pattern, "pattern");
        pattern = pattern.toLowerCase(Locale.ROOT);
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
    }

    public boolean isWildcard() {
        return pattern.startsWith("*.");
    }

    /** @param canonicalHost a host already lower-cased, without trailing dot or port */
    public boolean matches(String canonicalHost) {
        if (isWildcard()) {
            String suffix = pattern.substring(1); // ".example.org"
            return canonicalHost.length() > suffix.length() && canonicalHost.endsWith(suffix);
        }
        return pattern.equals(canonicalHost);
    }

    /** True when every host this pattern matches is also matched by {@code other}. */
    public boolean isCoveredBy(HostPattern other) {
        if (!other.isWildcard()) {
            return !isWildcard() && pattern.equals(other.pattern);
        }
        String suffix = other.pattern.substring(1);
        String mine = isWildcard() ? pattern.substring(1) : pattern;
        return mine.endsWith(suffix) && (isWildcard() ? mine.length() >= suffix.length() : mine.length() > suffix.length());
    }

    @Override
    public String toString() {
        return pattern;
    }
}
