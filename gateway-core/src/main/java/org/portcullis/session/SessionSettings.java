package org.portcullis.session;

import java.time.Duration;
import java.util.Objects;
import org.portcullis.config.SessionsConfig;

/**
 * Session timeouts. The defaults are the re-authentication limits NIST SP 800-63B (§4.2.3, AAL2) sets: 30 minutes of
 * inactivity, 12 hours in all, whatever the activity.
 *
 * @param idle     a session not used for this long ends; each use moves the deadline (sliding)
 * @param absolute a session ends this long after its first factor, however active; never extended, not by rotation
 */
public record SessionSettings(Duration idle, Duration absolute) {

    public static final Duration DEFAULT_IDLE = SessionsConfig.DEFAULT_IDLE;
    public static final Duration DEFAULT_ABSOLUTE = SessionsConfig.DEFAULT_ABSOLUTE;

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

    /** 30 minutes idle, 12 hours absolute: the config model's defaults. */
    public static SessionSettings defaults() {
        return of(SessionsConfig.defaults());
    }

    /** The settings the config's {@code sessions} section gives. */
    public static SessionSettings of(SessionsConfig config) {
        return new SessionSettings(config.idle(), config.absolute());
    }
}
