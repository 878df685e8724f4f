package org.portcullis.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpMethod;
import org.portcullis.http1.StrictHttpResponseDecoder;

/**
 * One TCP (or TLS) connection to an upstream, with the pieces of its pipeline the proxy talks to. Never bound to a
 * user (SECURITY-RULES 4): after each exchange it goes back to the pool or is closed.
 */
final class UpstreamConnection {
    private final Channel channel;
    private final StrictHttpResponseDecoder decoder;
    private final UpstreamHandler handler;
    private final UpstreamPool pool;
    private long idleSinceNanos;
    private boolean reused;

    UpstreamConnection(Channel channel, StrictHttpResponseDecoder decoder, UpstreamHandler handler, UpstreamPool pool) {
        this.channel = channel;
        this.decoder = decoder;
        this.handler = handler;
        this.pool = pool;
    }

    Channel channel() {
        return channel;
    }

    /** Tells the response decoder what the next response answers (HEAD has no body). */
    void expectResponseTo(HttpMethod method) {
        decoder.expectResponseTo(method);
    }

    void attach(UpstreamListener listener) {
        handler.attach(listener);
    }

    /** Returns the connection to its pool for the next request, whoever sends it. */
    void release() {
        handler.detach();
        pool.release(this);
    }

    /** Closes the connection: its framing or state can no longer be trusted. */
    void discard() {
        handler.detach();
        channel.close();
    }

    boolean wasReused() {
        return reused;
    }

    void markReused() {
        reused = true;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void idleSince(long nanos) {
        idleSinceNanos = nanos;
    }
}
