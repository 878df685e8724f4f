package org.portcullis.pool;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.portcullis.session.SessionInvalidation;

/**
 * Every client connection on this node that holds a connection-bound upstream connection for a signed-in session
 * ({@link PinnedUpstreams}), so that the end of that session closes the held connection at once (SECURITY-RULES 21:
 * "close it when either ends"), not only at the client connection's next request or its close. Subscribed to the
 * node's session invalidations: one session (sign-out, revocation, rotation), one user (disabled, removed, factors
 * reset) or everything (a users-file reload, a write by another process) — the last closes every held connection,
 * which costs a Windows client one more handshake and never lets a login outlive its session.
 */
public final class HeldUpstreams implements SessionInvalidation.Listener {
    private final Set<PinnedUpstreams> holders = ConcurrentHashMap.newKeySet();

    void holding(PinnedUpstreams holder) {
        holders.add(holder);
    }

    void released(PinnedUpstreams holder) {
        holders.remove(holder);
    }

    @Override
    public void invalidated(SessionInvalidation event) {
        for (PinnedUpstreams holder : holders) {
            holder.sessionChanged(event);
        }
    }

    /** How many client connections hold a connection for a session now (tests). */
    public int holders() {
        return holders.size();
    }
}
