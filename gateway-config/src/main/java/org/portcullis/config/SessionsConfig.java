package org.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code sessions}: how long a signed-in session lives. The defaults, 30 minutes idle and 12 hours in all, are the
 * reauthentication limits NIST SP 800-63B §4.2.3 sets for AAL2 (SECURITY-RULES 11).
 *
 * @param idle     positive, at most {@code absolute}
 * @param absolute positive
 */
public record SessionsConfig(Duration idle, Duration absolute) {
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);

    public SessionsConfig {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(absolute, "absolute");
        if (idle.compareTo(absolute) > 0) {
            throw new IllegalArgumentException("SessionsConfig: idle (" + idle + ") is longer than absolute ("
                    + absolute + ")");
        }
    }

    /** What applies when the section or a key is absent. */
    public static SessionsConfig defaults() {
        return new SessionsConfig(DEFAULT_IDLE, DEFAULT_ABSOLUTE);
    }
}
