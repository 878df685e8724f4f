package org.portcullis.pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.netty.channel.EventLoop;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionIdHash;
import org.portcullis.session.SessionInvalidation;

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
 *   <li>the session ends or changes on this node (sign-out, revocation, rotation, the user disabled or reset, a
 *       reload): {@link HeldUpstreams} hears it and {@link #sessionChanged} closes them on this connection's loop; an
 *       exchange still running on one then discards it instead of keeping it;</li>
 *   <li>it sat idle for longer than the pool's {@link UpstreamPool#MAX_IDLE}, or the upstream closed it.</li>
 * </ul>
 * At most one connection per upstream pool is held. Lives on the client connection's event loop; not thread-safe,
 * except {@link #sessionChanged}, which any thread may call.
 */
public final class PinnedUpstreams {
    private final Map<UpstreamPool, UpstreamConnection> held = new HashMap<>(2);
    /** The session the held connections belong to; null for requests without a signed-in session. */
    private SessionId owner;
    /** Where this holder is registered while it holds for a session (null: not registered). */
    private HeldUpstreams registeredIn;
    /** What {@link #sessionChanged} matches, set on the loop before registering, read on the invalidating thread. */
    private volatile SessionIdHash ownerHash;
    private volatile String ownerUser;
    private volatile EventLoop loop;
    /** Set when the owner's session ended while registered: nothing more is kept for it. Reset with a new owner. */
    private volatile boolean ownerEnded;

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
            ownerEnded = false;
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
     * Holds {@code connection} after a complete exchange for {@code session} of {@code user} (both null for none),
     * instead of returning it to the pool. The session is the one {@link #take} was last asked for: exchanges of one
     * client connection run one at a time.
     */
    public void keep(UpstreamConnection connection, SessionId session, String user) {
        if (!Objects.equals(owner, session) || ownerEnded) {
            // A different owner cannot happen while exchanges run one at a time; an ended session keeps nothing.
            connection.discard();
            return;
        }
        if (session != null && registeredIn == null) {
            ownerHash = session.hash();
            ownerUser = user;
            loop = connection.channel().eventLoop();
            registeredIn = connection.pool().held();
            registeredIn.holding(this);
        }
        connection.holdIdle(System.nanoTime());
        UpstreamConnection previous = held.put(connection.pool(), connection);
        if (previous != null && previous != connection) {
            previous.discard();
        }
    }

    /** Closes every held connection (the client connection ended, or the session changed). */
    public void closeAll() {
        if (registeredIn != null) {
            registeredIn.released(this);
            registeredIn = null;
        }
        if (held.isEmpty()) {
            return;
        }
        List<UpstreamConnection> all = new ArrayList<>(held.values());
        held.clear();
        all.forEach(UpstreamConnection::discard);
    }

    /**
     * Told by {@link HeldUpstreams} of a session change on this node, on the thread that made it: if it concerns the
     * session these connections are held for, they are closed on the client connection's loop.
     */
    void sessionChanged(SessionInvalidation event) {
        SessionIdHash hash = ownerHash;
        boolean ours;
        if (event instanceof SessionInvalidation.OneSession one) {
            ours = one.idHash().equals(hash);
        } else if (event instanceof SessionInvalidation.OneUser user) {
            ours = user.user().equals(ownerUser);
        } else {
            ours = true;
        }
        EventLoop where = loop;
        if (!ours || where == null) {
            return;
        }
        ownerEnded = true;
        where.execute(() -> {
            if (ownerEnded && Objects.equals(ownerHash, hash)) {
                closeAll();
            }
        });
    }

    /** How many connections are held (tests). */
    public int size() {
        return held.size();
    }
}
