package org.portcullis.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.portcullis.admission.Admission;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.ingress.RequestRejected;
import org.portcullis.proxy.FrontendTimeoutHandler.FrontendTimeout;

/**
 * Last handler of a client connection, with the connection's own concerns only: the order of requests, reading, and
 * backpressure. Requests are served one at a time by the connection's {@link RequestCycle}, each admitted on its own
 * (SECURITY-RULES 4). Requests pipelined behind the current one wait in a small queue while reading stops, so it
 * holds at most one read's worth of messages.
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter implements RequestCycle.Connection {
    private final RequestPath path;
    private final FrontendTimeoutHandler timeouts;
    private final RequestCycle cycle;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean closing;
    private boolean tunnel;

    public FrontendHandler(RequestPath path, ConnectionInfo connection, FrontendTimeoutHandler timeouts) {
        this.path = path;
        this.timeouts = timeouts;
        this.cycle = new RequestCycle(path, connection, timeouts, this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing || tunnel) {
            ReferenceCountUtil.release(msg);
        } else if (queued.isEmpty() && belongsToCurrent(msg)) {
            cycle.deliver(msg);
        } else if (cycle.busy() || !queued.isEmpty()) {
            queued.add(msg);
            updateReading();
        } else {
            startRequest(msg);
        }
    }

    /** Body content, or the decoder's refusal of the body, of the request being served. */
    private boolean belongsToCurrent(Object msg) {
        boolean body = msg instanceof HttpContent && !(msg instanceof HttpRequest);
        return (body || msg instanceof RequestRejected) && cycle.takingBody();
    }

    private void startRequest(Object msg) {
        cycle.start(msg);
        if (cycle.waiting()) {
            updateReading();
        }
    }

    @Override
    public void decided() {
        drainQueue();
    }

    @Override
    public void requestEnded(boolean close) {
        if (close) {
            closing = true;
            cycle.abort();
            releaseQueued();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        timeouts.awaitingRequest();
        drainQueue();
    }

    private void drainQueue() {
        while (!queued.isEmpty() && !closing && !cycle.waiting()) {
            if (!cycle.busy()) {
                startRequest(queued.poll());
            } else if (belongsToCurrent(queued.peek())) {
                cycle.deliver(queued.poll());
            } else {
                break;
            }
        }
        updateReading();
    }

    @Override
    public void updateReading() {
        if (closing || tunnel) {
            return;
        }
        boolean read = queued.isEmpty() && cycle.readable();
        Channel channel = ctx.channel();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
        if (cycle.takingBody()) {
            timeouts.bodyReading(read);
        }
    }

    @Override
    public void becomeTunnel(Admission.Forward forward, Channel upstream) {
        tunnel = true;
        timeouts.tunnel();
        if (!queued.isEmpty()) {
            // The client spoke before the 101 arrived: it does not follow RFC 6455, so nothing is relayed.
            releaseQueued();
            upstream.close();
            ctx.close();
            return;
        }
        TunnelSwitch.open(ctx, upstream, path.watch(forward, ctx.channel(), upstream));
    }

    @Override
    public void becomeRemoteDesktop(Admission.RemoteDesktop admission) {
        tunnel = true;
        if (!queued.isEmpty() || path.remoteDesktops().isEmpty()) {
            // Pipelined bytes after an RDG request, or no endpoint to take it: fail closed.
            releaseQueued();
            ctx.close();
            return;
        }
        path.remoteDesktops().get().install(ctx, admission);
    }

    @Override
    public void becomeConnectTunnel(ConnectExchange from, org.portcullis.tcp.TcpConnect.Admitted admitted,
                                    Channel target, org.portcullis.tcp.TargetRelay relay) {
        tunnel = true;
        timeouts.tunnel();
        if (!queued.isEmpty() || path.connect().isEmpty()) {
            // The client spoke before the 101: it does not follow RFC 6455, so nothing is relayed.
            releaseQueued();
            target.close();
            ctx.close();
            return;
        }
        ConnectSwitch.open(ctx, target, path.connect().get(), admitted, relay, from.websocketKey());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        cycle.flushUpstream();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cycle.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof FrontendTimeout timeout)) {
            ctx.fireUserEventTriggered(evt);
        } else if (cycle.busy()) {
            cycle.clientFailed(timeout.reason());
        } else {
            startRequest(new RequestRejected(timeout.reason(), "client clock ran out"));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endConnection();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Fail closed: whatever went wrong, this connection serves nothing more.
        endConnection();
        ctx.close();
    }

    private void endConnection() {
        closing = true;
        cycle.abort();
        releaseQueued();
    }

    private void releaseQueued() {
        Object msg;
        while ((msg = queued.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public ChannelHandlerContext context() {
        return ctx;
    }
}
