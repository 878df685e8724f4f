package org.portcullis.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.StreamCloseReason;

/**
 * The client side of a connect tunnel, after the WebSocket frame decoder: the payload of every binary frame (and its
 * continuations) goes to the target as raw bytes, counted exactly (payload only, not framing); a ping is answered, a
 * close is answered and ends the stream; a text frame is not part of the protocol and ends it (1003). Reading pauses
 * while the target cannot take more.
 */
public final class WebSocketRelay extends ChannelInboundHandlerAdapter {
    private final Channel target;
    private final LiveStreams.Stream stream;

    public WebSocketRelay(Channel target, LiveStreams.Stream stream) {
        this.target = target;
        this.stream = stream;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ByteBuf payload = ((io.netty.handler.codec.http.websocketx.WebSocketFrame) msg).content();
            if (!target.isActive()) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            stream.fromClient(payload.readableBytes());
            target.write(payload); // ownership of the frame's buffer passes to the target's write
            if (!target.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
        } else if (msg instanceof PongWebSocketFrame pong) {
            pong.release();
        } else if (msg instanceof CloseWebSocketFrame close) {
            close.release();
            stream.endedBy(StreamCloseReason.CLOSED_BY_CLIENT);
            target.close();
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        target.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            target.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Ignored when the stream was cut or the target closed first: the first cause is why it ended.
        stream.endedBy(StreamCloseReason.CLOSED_BY_CLIENT);
        target.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
