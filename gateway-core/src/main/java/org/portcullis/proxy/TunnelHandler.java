package org.portcullis.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.portcullis.signin.LiveStreams;

/**
 * One side of a WebSocket tunnel: relays raw bytes to the peer channel with backpressure (reading pauses while the
 * peer cannot take more) and closes the peer when this side ends. Installed on both the client and the upstream
 * connection only after the upstream answered a valid 101.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final LiveStreams.Stream watched;

    /** @param watched the watch entry of a signed-in tunnel, told about traffic; null for a bypassed one */
    TunnelHandler(Channel peer, LiveStreams.Stream watched) {
        this.peer = peer;
        this.watched = watched;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (watched != null) {
            watched.sawTraffic();
        }
        peer.write(msg);
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
