package org.portcullis.session;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands every {@link SessionInvalidation} of this node to every listener (the {@link SessionCache}), and, with a
 * cluster ({@code cache.redis}), to the {@link #forwardTo forwarder} that carries it to the other nodes
 * ({@link SessionFanOut}). Publishing is synchronous: when {@link #publish} returns, no listener on this node answers
 * from the old state any more, which is what makes a sign-out or revocation through this gateway effective on its
 * very next request.
 *
 * <p>{@link #publishHere} is for what concerns this node's view only and must not travel: what other nodes sent (it
 * would echo back and forth), and what this node's store watch noticed (each node watches for itself).
 */
public final class SessionInvalidations {
    private final List<SessionInvalidation.Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<SessionInvalidation.Listener> forwarders = new CopyOnWriteArrayList<>();

    public void subscribe(SessionInvalidation.Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** {@code forwarder} receives what {@link #publish} announces after this node's listeners, not what {@link #publishHere} does. */
    public void forwardTo(SessionInvalidation.Listener forwarder) {
        forwarders.add(Objects.requireNonNull(forwarder, "forwarder"));
    }

    /** A change this node made: every listener here, then every forwarder (the other nodes). */
    public void publish(SessionInvalidation event) {
        publishHere(event);
        for (SessionInvalidation.Listener forwarder : forwarders) {
            forwarder.invalidated(event);
        }
    }

    /** Something only this node's view needs to know (another node's change, this node's store watch). */
    public void publishHere(SessionInvalidation event) {
        Objects.requireNonNull(event, "event");
        for (SessionInvalidation.Listener listener : listeners) {
            listener.invalidated(event);
        }
    }
}
