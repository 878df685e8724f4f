package org.portcullis.proxy;

import io.netty.channel.ChannelHandlerContext;
import org.portcullis.pool.PinnedUpstreams;

/** What a {@link ProxyExchange} needs from the client connection that owns it. */
public interface ExchangeOwner {
    /** The client connection's context, used to write the response. */
    ChannelHandlerContext client();

    /** The current request's id, for the error page's reference (it joins the access-log line and audit event). */
    String requestId();

    /** The exchange ended; the connection may serve the next request unless {@code close}. */
    void exchangeFinished(ProxyExchange exchange, int status, boolean close);

    /** The gateway answered a portal request itself; {@code outcome} is the code for the log and audit trail. */
    void portalFinished(PortalExchange exchange, int status, boolean close, String outcome);

    /** The upstream connections this client connection holds for itself (connection-bound logins). */
    PinnedUpstreams pinnedUpstreams();

    /** Something changed that may allow reading from the client again (upstream connected or writable). */
    void updateReading();

    /** The request body is complete. */
    void requestBodyComplete();

    /**
     * The upstream accepted a WebSocket upgrade: turn the client connection into a tunnel to {@code upstream}.
     *
     * @return the watch entry that ends the tunnel with its session, or null when no session opened it (bypass)
     */
    org.portcullis.signin.LiveStreams.Stream becomeTunnel(io.netty.channel.Channel upstream);
}
