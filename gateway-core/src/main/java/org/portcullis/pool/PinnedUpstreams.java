package org.portcullis.pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.portcullis.session.SessionId;

/**
 * The upstream connections one client connection holds for itself (SECURITY-RULES 21). Windows-integrated
 * applications (IIS with NTLM or Negotiate) log in a TCP connection, not a request: once a connection carried
 * {@code Authorization: NTLM|Negotiate …}, or was answered with such a {@code WWW-Authenticate} challenge, the
 * application serves every later request on it as that user, with or without credentials. Such a connection must
 * never go back to the shared pool, where the next client — another user, or an anonymous caller on a bypassed path —
 * would be served as the first one.
 *
 * <p>So it is kept here instead, for the next request of the same client connection <em>and</em> the same session,
 * which also lets the NTLM handshake (three requests that must share one upstream connection) work through the
 * gateway. Every held connection is closed, never reused, when:
 * <ul>
 *   <li>a request of this client connection is forwarded for another session, or for no session (a shared forward
 *       proxy in front of the gateway can carry several users on one client connection);</li>
 *   <li>the client connection closes or turns into a tunnel ({@link #closeAll()} from the proxy's
 *       {@code FrontendHandler});</li>
 *   <li>it sat idle for longer than the pool's {@link UpstreamPool#MAX_IDLE}, or the upstream closed it.</li>
 * </ul>
 * At most one connection per upstream pool is held. Lives on the client connection's event loop; not thread-safe.
 */
public final class PinnedUpstreams {
    private final Map<UpstreamPool, UpstreamConnection> held = new HashMap<>(2);
    /** The session the held connections belong to; null for requests without a signed-in session. */
    private SessionId owner;

    /**
     * The connection held for {@code pool}, if it belongs to {@code session}; when the session differs from the one
     * the held connections belong to, every one of them is closed first.
     *
     * @param session the signed-in session of the request about to be forwarded, or null for none
     * @return a live connection to reuse, or null (take one from the pool)
     */
    public UpstreamConnection take(UpstreamPool pool, SessionId session) {
        if (!Objects.equals(owner, session)) {
            closeAll();
            owner = session;
        }
        UpstreamConnection connection = held.remove(pool);
        if (connection == null) {
            return null;
        }
        boolean fresh = System.nanoTime() - connection.idleSinceNanos() < UpstreamPool.MAX_IDLE.toNanos();
        if (!connection.channel().isActive() || !fresh) {
            connection.discard();
            return null;
        }
        return connection;
    }

    /**
     * Holds {@code connection} after a complete exchange for {@code session}, instead of returning it to the pool.
     * The session is the one {@link #take} was last asked for: exchanges of one client connection run one at a time.
     */
    public void keep(UpstreamConnection connection, SessionId session) {
        if (!Objects.equals(owner, session)) {
            // Cannot happen while exchanges run one at a time; if it does, nobody may have the connection.
            connection.discard();
            return;
        }
        connection.holdIdle(System.nanoTime());
        UpstreamConnection previous = held.put(connection.pool(), connection);
        if (previous != null && previous != connection) {
            previous.discard();
        }
    }

    /** Closes every held connection (the client connection ended, or the session changed). */
    public void closeAll() {
        if (held.isEmpty()) {
            return;
        }
        List<UpstreamConnection> all = new ArrayList<>(held.values());
        held.clear();
        all.forEach(UpstreamConnection::discard);
    }

    /** How many connections are held (tests). */
    public int size() {
        return held.size();
    }
}
