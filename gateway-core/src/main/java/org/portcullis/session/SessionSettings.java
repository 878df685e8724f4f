package org.portcullis.session;

import java.time.Duration;
import java.util.Objects;

/**
 * Session timeouts. The defaults are the re-authentication limits NIST SP 800-63B (§4.2.3, AAL2) sets: 30 minutes of
 * inactivity, 12 hours in all, whatever the activity.
 *
 * @param idle     a session not used for this long ends; each use moves the deadline (sliding)
 * @param absolute a session ends this long after its first factor, however active; never extended, not by rotation
 */
public record SessionSettings(Duration idle, Duration absolute) {

    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);

    public SessionSettings {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(absolute, "absolute");
        if (idle.isNegative() || idle.isZero() || absolute.isNegative() || absolute.isZero()) {
            throw new IllegalArgumentException("SessionSettings: idle (" + idle + ") and absolute (" + absolute
                    + ") timeouts must be positive");
        }
        if (idle.compareTo(absolute) > 0) {
            throw new IllegalArgumentException("SessionSettings: the idle timeout (" + idle
                    + ") must not be longer than the absolute timeout (" + absolute + ")");
        }
    }

    /** 30 minutes idle, 12 hours absolute. */
    public static SessionSettings defaults() {
        return new SessionSettings(DEFAULT_IDLE, DEFAULT_ABSOLUTE);
    }
}
