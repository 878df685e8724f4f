package org.portcullis.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.StreamCloseReason;

/**
 * The target side of a connect tunnel: every read from the target goes to the client as one binary frame, counted
 * exactly; when the target closes, the client is sent a normal close. Installed when the connection to the target is
 * made, with reading off; it relays only after {@link #attach} (the 101 is on its way by then). Event loop only: the
 * target's connection is on its client connection's loop.
 */
public final class TargetRelay extends ChannelInboundHandlerAdapter {
    private Channel client;
    private LiveStreams.Stream stream;

    /** Joins the target to {@code client}'s WebSocket, counting into {@code stream}; then reading starts. */
    public void attach(Channel client, LiveStreams.Stream stream, Channel target) {
        this.client = client;
        this.stream = stream;
        target.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (client == null || !(msg instanceof ByteBuf bytes) || !client.isActive()) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        stream.toClient(bytes.readableBytes());
        client.write(new BinaryWebSocketFrame(bytes));
        if (!client.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (client != null) {
            client.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (client != null && ctx.channel().isWritable()) {
            client.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client == null) {
            return;
        }
        stream.endedBy(StreamCloseReason.CLOSED_BY_TARGET);
        if (client.isActive()) {
            client.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
