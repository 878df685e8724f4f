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
    private final SessionCache cache;
    private volatile ManagerFor last;

    /**
     * @param cache the node's session cache, or null for none; {@code store} must then publish every change to it
     *              ({@link InvalidatingSessionStore})
     */
    public SessionManagers(SessionStore store, Clock clock, SecureRandom random, SessionCache cache) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.cache = cache;
    }

    /** The manager of {@code config}'s timeouts; made once per config snapshot, not per request. */
    public SessionManager forConfig(GatewayConfig config) {
        ManagerFor made = last;
        if (made != null && made.config() == config) {
            return made.manager();
        }
        SessionManager manager = new SessionManager(store, SessionSettings.of(config.sessions()), clock, random,
                cache);
        last = new ManagerFor(config, manager);
        return manager;
    }

    /** The manager made for one config snapshot (a reload makes a new config object, so a new manager). */
    private record ManagerFor(GatewayConfig config, SessionManager manager) {
    }
}
