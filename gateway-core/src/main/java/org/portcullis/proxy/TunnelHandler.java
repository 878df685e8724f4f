package org.portcullis.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.StreamCloseReason;

/**
 * One side of a WebSocket tunnel: relays raw bytes to the peer channel with backpressure (reading pauses while the
 * peer cannot take more) and closes the peer when this side ends. Installed on both the client and the upstream
 * connection only after the upstream answered a valid 101.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {
    /** Which connection a handler sits on: the bytes it reads go the other way, and its close is that side's. */
    enum Side { CLIENT, TARGET }

    private final Channel peer;
    private final LiveStreams.Stream watched;
    private final Side side;

    /**
     * @param watched the live-stream entry of a signed-in tunnel, which counts its bytes; null for a bypassed one
     * @param side    the connection this handler reads from
     */
    TunnelHandler(Channel peer, LiveStreams.Stream watched, Side side) {
        this.peer = peer;
        this.watched = watched;
        this.side = side;
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
            // Counted as handed to the peer, so the audit's figures are what the other side was sent.
            int bytes = ((ByteBuf) msg).readableBytes();
            if (side == Side.CLIENT) {
                watched.fromClient(bytes);
            } else {
                watched.toClient(bytes);
            }
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
        if (watched != null) {
            // Ignored when the stream was cut first: then that cut is why it ended.
            watched.endedBy(side == Side.CLIENT ? StreamCloseReason.CLOSED_BY_CLIENT
                    : StreamCloseReason.CLOSED_BY_TARGET);
        }
        if (peer.isActive()) {
            peer.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
