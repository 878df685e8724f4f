package org.portcullis.pool;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream connection's pipeline: hands every decoded response message to the exchange that
 * currently owns the connection. A message that arrives while no exchange owns it (an idle pooled connection that
 * speaks unasked) marks the connection broken: it is released and the connection closed, never reused.
 */
public final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private UpstreamListener listener;
    private boolean closedReported;

    void attach(UpstreamListener listener) {
        this.listener = listener;
    }

    void detach() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener current = listener;
        if (current == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        current.onUpstreamMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener current = listener;
        if (current != null) {
            current.onUpstreamReadComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener current = listener;
        if (current != null && ctx.channel().isWritable()) {
            current.onUpstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        report(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(cause);
        ctx.close();
    }

    private void report(Throwable cause) {
        UpstreamListener current = listener;
        if (current != null && !closedReported) {
            closedReported = true;
            current.onUpstreamClosed(cause);
        }
    }
}
