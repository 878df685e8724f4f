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
    /** On the target side: where the frames towards the client end, for the shutdown's close frame. */
    private final WebSocketFrameBoundary frames;
    private boolean goingAway;

    /**
     * @param watched the live-stream entry of a signed-in tunnel, which counts its bytes; null for a bypassed one
     * @param side    the connection this handler reads from
     */
    TunnelHandler(Channel peer, LiveStreams.Stream watched, Side side) {
        this.peer = peer;
        this.watched = watched;
        this.side = side;
        this.frames = side == Side.TARGET ? new WebSocketFrameBoundary() : null;
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
        ByteBuf bytes = (ByteBuf) msg;
        if (frames != null && goingAway) {
            relayUpToBoundary(ctx, bytes);
            return;
        }
        if (frames != null) {
            frames.follow(bytes, false);
        }
        if (watched != null) {
            // Counted as handed to the peer, so the audit's figures are what the other side was sent.
            int count = bytes.readableBytes();
            if (side == Side.CLIENT) {
                watched.fromClient(count);
            } else {
                watched.toClient(count);
            }
        }
        peer.write(msg);
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /**
     * The gateway shuts down ({@link GoingAway}): the client side hands the event to the target side, which knows the
     * frames towards the client; it sends the close frame at once when between frames, else after the current frame.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != GoingAway.INSTANCE) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (side == Side.CLIENT) {
            peer.pipeline().fireUserEventTriggered(evt);
            return;
        }
        if (goingAway) {
            return;
        }
        goingAway = true;
        if (watched != null) {
            watched.endedBy(StreamCloseReason.SHUTDOWN);
        }
        if (frames.atBoundary()) {
            sayGoingAway(ctx);
        }
    }

    /** Relays the rest of the frame in flight, then the close frame; bytes after that frame are dropped. */
    private void relayUpToBoundary(ChannelHandlerContext ctx, ByteBuf bytes) {
        int taken = frames.follow(bytes, true);
        if (watched != null) {
            watched.toClient(taken);
        }
        peer.write(bytes.retainedSlice(bytes.readerIndex(), taken));
        bytes.release();
        if (frames.atBoundary()) {
            sayGoingAway(ctx);
        }
    }

    /** Close frame 1001 (unmasked, server to client), then both connections close. */
    private void sayGoingAway(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
        io.netty.buffer.ByteBuf close = peer.alloc().buffer(4).writeByte(0x88).writeByte(2).writeShort(1001);
        peer.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
        ctx.close();
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
