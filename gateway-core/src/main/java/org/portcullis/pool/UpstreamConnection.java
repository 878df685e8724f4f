package org.portcullis.pool;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpMethod;
import org.portcullis.http1.StrictHttpResponseDecoder;

/**
 * One TCP (or TLS) connection to an upstream, with the pieces of its pipeline the proxy talks to. After each exchange
 * it goes back to the shared pool, or is closed, or — once it carried connection-bound credentials ({@link
 * #markConnectionBound}) — is held by its client connection and session only ({@link PinnedUpstreams},
 * SECURITY-RULES 21). A connection so marked never returns to the pool.
 */
public final class UpstreamConnection {
    private final Channel channel;
    private final StrictHttpResponseDecoder decoder;
    private final UpstreamHandler handler;
    private final UpstreamPool pool;
    private long idleSinceNanos;
    private boolean reused;
    private boolean connectionBound;

    UpstreamConnection(Channel channel, StrictHttpResponseDecoder decoder, UpstreamHandler handler, UpstreamPool pool) {
        this.channel = channel;
        this.decoder = decoder;
        this.handler = handler;
        this.pool = pool;
    }

    public Channel channel() {
        return channel;
    }

    /** Tells the response decoder what the next response answers (HEAD has no body). */
    public void expectResponseTo(HttpMethod method) {
        decoder.expectResponseTo(method);
    }

    public void attach(UpstreamListener listener) {
        handler.attach(listener);
    }

    UpstreamPool pool() {
        return pool;
    }

    /**
     * The connection carried connection-bound credentials (NTLM or Negotiate, either direction): from now on the
     * upstream may serve anything sent on it as the user who logged it in. For good: the mark is never cleared.
     */
    public void markConnectionBound() {
        connectionBound = true;
    }

    public boolean connectionBound() {
        return connectionBound;
    }

    /** Returns the connection to its pool for the next request, whoever sends it. Never for a bound connection. */
    public void release() {
        if (connectionBound) {
            // A caller's mistake must not hand a login to the next client: close instead (fail closed).
            discard();
            return;
        }
        handler.detach();
        pool.release(this);
    }

    /** Keeps the connection idle for its client connection ({@link PinnedUpstreams}), not in the pool. */
    void holdIdle(long nanos) {
        handler.detach();
        idleSinceNanos = nanos;
    }

    /** Closes the connection: its framing or state can no longer be trusted. */
    public void discard() {
        handler.detach();
        channel.close();
    }

    public boolean wasReused() {
        return reused;
    }

    public void markReused() {
        reused = true;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void idleSince(long nanos) {
        idleSinceNanos = nanos;
    }
}
