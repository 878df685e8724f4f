package org.portcullis.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.portcullis.pool.PinnedUpstreams;

/** What an exchange needs from the client connection that owns it. */
interface ExchangeOwner {
    /** The client connection's context, used to write the response. */
    ChannelHandlerContext client();

    /** The current request's id, for the error page's reference (it joins the access-log line and audit event). */
    String requestId();

    /**
     * The exchange ended with {@code status}; {@code outcome} says how, for the access log and the audit trail. The
     * connection serves the next request unless {@code close}.
     */
    void finished(ClientExchange exchange, int status, boolean close, String outcome);

    /** The upstream connections this client connection holds for itself (connection-bound logins). */
    PinnedUpstreams pinnedUpstreams();

    /** Something changed that may allow reading from the client again (upstream connected or writable). */
    void updateReading();

    /** The request body is complete. */
    void requestBodyComplete();

    /**
     * The clock of {@code exchange}'s upstream: it must call {@link ProxyExchange#upstreamTimedOut()} on expiry. The
     * request cycle keeps one per client connection, so a keep-alive connection schedules its timer task once, not
     * once per request; this default makes one per exchange.
     */
    default Deadline upstreamClock(ProxyExchange exchange) {
        return new Deadline(client().executor(), exchange::upstreamTimedOut);
    }

    /** The upstream accepted {@code exchange}'s WebSocket upgrade: join the client and {@code upstream} in a tunnel. */
    void becomeTunnel(ProxyExchange exchange, Channel upstream);

    /** A connect tunnel was admitted and its target connected (issue 17): the connection relays WebSocket frames. */
    default void becomeConnectTunnel(ConnectExchange exchange, org.portcullis.tcp.TcpConnect.Admitted admitted,
                                     Channel target, org.portcullis.tcp.TargetRelay relay) {
        throw new IllegalStateException("ExchangeOwner: this owner takes no connect tunnel");
    }
}
