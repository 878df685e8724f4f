package org.portcullis.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.portcullis.config.GatewayConfig;

/**
 * The {@link SessionManager} of a config snapshot: one store, clock and random for the process, the timeouts of the
 * snapshot's {@code sessions} section. Asked once per request with the request's snapshot, so a reload that changes
 * the timeouts applies to the next request.
 */
public final class SessionManagers {
    private final SessionStore store;
    private final Clock clock;
    private final SecureRandom random;

    public SessionManagers(SessionStore store, Clock clock, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public SessionManager forConfig(GatewayConfig config) {
        return new SessionManager(store, SessionSettings.of(config.sessions()), clock, random);
    }
}
