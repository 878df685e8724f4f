package org.portcullis.session;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands every {@link SessionInvalidation} of this node to every listener (the {@link SessionCache} today; a cluster
 * transport that forwards them to the other nodes once shared stores exist). Publishing is synchronous: when
 * {@link #publish} returns, no listener on this node answers from the old state any more, which is what makes a
 * sign-out or revocation through this gateway effective on its very next request.
 */
public final class SessionInvalidations {
    private final List<SessionInvalidation.Listener> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(SessionInvalidation.Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void publish(SessionInvalidation event) {
        Objects.requireNonNull(event, "event");
        for (SessionInvalidation.Listener listener : listeners) {
            listener.invalidated(event);
        }
    }
}
