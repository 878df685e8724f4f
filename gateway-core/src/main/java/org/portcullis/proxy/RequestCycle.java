package org.portcullis.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import org.portcullis.admission.Admission;
import org.portcullis.admission.AdmissionContext;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.ingress.RejectReason;
import org.portcullis.ingress.RequestRejected;
import org.portcullis.pool.PinnedUpstreams;

/**
 * The request a client connection is serving, from its head to its end: opens the request's record, runs the
 * admission stages, makes the exchange for the decision — {@link ProxyExchange} for a forward, {@link PortalExchange}
 * for the gateway's pages, {@link RefusalExchange} for a refusal or a challenge — and closes the record when the
 * exchange finishes. While a decision waits for the store, the client's body clock pauses: the gateway, not the
 * client, holds the body up. Event loop only; one per connection, serving one request at a time.
 */
final class RequestCycle implements ExchangeOwner {
    /** What the cycle needs from its connection. */
    interface Connection {
        ChannelHandlerContext context();

        /** Reading may have to pause or resume. */
        void updateReading();

        /** A decision that waited for the store came: take up what arrived meanwhile. */
        void decided();

        /** The request ended: go on with the next one, or close. */
        void requestEnded(boolean close);

        /** The exchange's upstream accepted a WebSocket upgrade: the connection becomes a tunnel to it. */
        void becomeTunnel(Admission.Forward forward, Channel upstream);

        /** The request opened an RD Gateway channel: the connection leaves HTTP for MS-TSGU. */
        void becomeRemoteDesktop(Admission.RemoteDesktop admission);

        /** A connect tunnel was admitted (issue 17): the connection relays WebSocket frames to {@code target}. */
        void becomeConnectTunnel(ConnectExchange from, org.portcullis.tcp.TcpConnect.Admitted admitted,
                                 Channel target, org.portcullis.tcp.TargetRelay relay);
    }

    private final RequestPath path;
    private final ConnectionInfo info;
    private final FrontendTimeoutHandler timeouts;
    private final Connection connection;
    private final PinnedUpstreams pinned = new PinnedUpstreams();
    private String clientText;
    private ClientExchange exchange;
    private RequestRecord record;
    private boolean deciding;
    private boolean waiting;
    private boolean aborted;
    /** The upstream clock of this connection's exchanges, one after the other (made on the first forward). */
    private Deadline upstreamClock;

    RequestCycle(RequestPath path, ConnectionInfo info, FrontendTimeoutHandler timeouts, Connection connection) {
        this.path = path;
        this.info = info;
        this.timeouts = timeouts;
        this.connection = connection;
    }

    /** True from a request head until the request ends. */
    boolean busy() {
        return deciding || exchange != null;
    }

    /** True while the decision waits for the store. */
    boolean waiting() {
        return waiting;
    }

    /** True while the request's body is still coming. */
    boolean takingBody() {
        return exchange != null && !exchange.requestComplete();
    }

    /** True when the connection may read now: no wait for the store, and the exchange can take what comes. */
    boolean readable() {
        return !waiting && (exchange == null || exchange.requestComplete() || exchange.wantsRequestBody());
    }

    /** Starts serving {@code msg}: a request head, or a refusal (decoder, clock) before one. */
    void start(Object msg) {
        if (clientText == null) {
            clientText = info.peer().getAddress().getHostAddress();
        }
        record = new RequestRecord(path.journal(), clientText, client().executor().ticker());
        if (msg instanceof HttpRequest request) {
            admit(request);
            return;
        }
        // Body content with no request to belong to cannot happen with a correct decoder: fail closed.
        Admission.Refuse refusal = msg instanceof RequestRejected rejected
                ? Admission.Refuse.early(rejected.reason().status(), rejected.reason().name())
                : Admission.Refuse.early(400, "STRAY_CONTENT");
        ReferenceCountUtil.release(msg);
        serve(exchangeFor(refusal, null));
    }

    private void admit(HttpRequest request) {
        boolean bodyFollows = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        timeouts.headReceived(bodyFollows);
        deciding = true;
        AdmissionContext start = AdmissionContext.start(record.id(), request, info, path.snapshots().get(),
                bodyFollows);
        path.admission().admit(start, client().executor(), decided -> {
            if (aborted) {
                return;
            }
            boolean waited = waiting;
            deciding = false;
            waiting = false;
            if (waited && bodyFollows) {
                timeouts.headReceived(true);
            }
            if (decided instanceof Admission.RemoteDesktop remote) {
                // Issue 16: no exchange; the record ends here and the connection speaks MS-TSGU from now on.
                record.decided(remote);
                record.close(remote.request().websocketUpgrade() ? 101 : 200, "REMOTE_DESKTOP");
                pinned.closeAll();
                connection.becomeRemoteDesktop(remote);
                return;
            }
            serve(exchangeFor(decided, request));
            if (waited) {
                connection.decided();
            }
        });
        if (deciding) {
            waiting = true;
            timeouts.busy();
        }
    }

    private ClientExchange exchangeFor(Admission decided, HttpRequest request) {
        record.decided(decided);
        if (decided instanceof Admission.Forward forward) {
            return new ProxyExchange(this, forward, request);
        }
        if (decided instanceof Admission.Portal portal) {
            if (path.connect().isPresent() && org.portcullis.tcp.TcpConnect.isTunnelPath(portal.request().path())) {
                return new ConnectExchange(this, portal, path.connect().get()); // issue 17: never a portal page
            }
            return new PortalExchange(this, portal, request, path.portal(), record.id());
        }
        if (decided instanceof Admission.Challenge challenge) {
            return RefusalExchange.challenge(this, challenge, request);
        }
        // The error page is in the design of the snapshot current now (a refusal may come before any snapshot was).
        return RefusalExchange.refusal(this, (Admission.Refuse) decided, request, path.snapshots().get());
    }

    private void serve(ClientExchange next) {
        exchange = next;
        next.start();
        if (exchange == next && !next.requestComplete()) {
            // Asked after start(): a pooled upstream connection is usually there at once, and reading then never
            // pauses, which spares two system calls per request (epoll interest off and on again).
            connection.updateReading();
        }
    }

    /** Hands the exchange a piece of its body, or the decoder's refusal of it (which ends the request). */
    void deliver(Object msg) {
        if (msg instanceof RequestRejected rejected) {
            exchange.failFromClient(rejected.reason());
        } else {
            exchange.onRequestBody((HttpContent) msg);
        }
    }

    /** A client clock ran out while this request was being served. */
    void clientFailed(RejectReason reason) {
        if (exchange != null) {
            exchange.failFromClient(reason);
        } else {
            client().close(); // no clock runs while a decision waits; should one fire, fail closed
        }
    }

    @Override
    public void finished(ClientExchange finished, int status, boolean close, String outcome) {
        if (finished != exchange) {
            return;
        }
        record.close(status, outcome);
        exchange = null;
        connection.requestEnded(close);
    }

    @Override
    public void becomeTunnel(ProxyExchange from, Channel upstream) {
        record.close(101, from.outcome().name());
        exchange = null;
        pinned.closeAll();
        connection.becomeTunnel(from.admission(), upstream);
    }

    @Override
    public void becomeConnectTunnel(ConnectExchange from, org.portcullis.tcp.TcpConnect.Admitted admitted,
                                    Channel target, org.portcullis.tcp.TargetRelay relay) {
        record.close(101, "CONNECT_OPENED");
        exchange = null;
        pinned.closeAll();
        connection.becomeConnectTunnel(from, admitted, target, relay);
    }

    void flushUpstream() {
        if (exchange != null) {
            exchange.flushUpstream();
        }
    }

    void clientWritable() {
        if (exchange != null) {
            exchange.clientWritable();
        }
    }

    /** The connection ends: the exchange stops writing, and logins held for this connection end (rule 21). */
    void abort() {
        aborted = true;
        deciding = false;
        waiting = false;
        if (exchange != null) {
            exchange.abort();
            exchange = null;
        }
        if (record != null) {
            record.abandon(); // nothing when the exchange's abort already closed it
        }
        if (upstreamClock != null) {
            upstreamClock.stop();
        }
        pinned.closeAll();
    }

    @Override
    public Deadline upstreamClock(ProxyExchange exchange) {
        if (upstreamClock == null) {
            upstreamClock = new Deadline(client().executor(), this::upstreamTimedOut);
        }
        return upstreamClock;
    }

    /** Only the exchange being served runs the clock: a finished one pauses it and never starts it again. */
    private void upstreamTimedOut() {
        if (exchange instanceof ProxyExchange proxy) {
            proxy.upstreamTimedOut();
        }
    }

    @Override
    public String requestId() {
        return record.id();
    }

    @Override
    public ChannelHandlerContext client() {
        return connection.context();
    }

    @Override
    public PinnedUpstreams pinnedUpstreams() {
        return pinned;
    }

    @Override
    public void updateReading() {
        connection.updateReading();
    }

    @Override
    public void requestBodyComplete() {
        timeouts.busy();
        connection.updateReading();
    }
}
