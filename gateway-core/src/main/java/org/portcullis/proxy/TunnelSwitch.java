package org.portcullis.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.portcullis.pool.UpstreamHandler;
import org.portcullis.signin.LiveStreams;

/**
 * Turns a client connection and the upstream connection that accepted its WebSocket upgrade into a tunnel: the HTTP
 * handlers leave both pipelines and a {@link TunnelHandler} relays raw bytes each way. Encoders go first (they hold no
 * bytes); each tunnel handler is in place before its side's decoder leaves, so bytes a decoder still buffers flow raw
 * into the tunnel, and nothing of the HTTP exchange does.
 */
final class TunnelSwitch {
    private TunnelSwitch() {
    }

    /**
     * @param frontend the client connection's HTTP handler context (its handler leaves the pipeline)
     * @param watched  the live-stream entry that cuts the tunnel when its session ends, or null for a bypassed one
     */
    static void open(ChannelHandlerContext frontend, Channel upstream, LiveStreams.Stream watched) {
        upstream.pipeline().remove("request-encoder");

        frontend.pipeline().remove("response-encoder");
        frontend.pipeline().addLast("tunnel", new TunnelHandler(upstream, watched, TunnelHandler.Side.CLIENT));
        frontend.pipeline().remove(frontend.handler());
        frontend.pipeline().remove("timeouts");
        frontend.pipeline().remove("request-decoder");
        frontend.channel().config().setAutoRead(true);

        upstream.pipeline().replace(UpstreamHandler.class, "tunnel", new TunnelHandler(frontend.channel(), watched,
                TunnelHandler.Side.TARGET));
        upstream.pipeline().remove("response-decoder");
        upstream.config().setAutoRead(true);
    }
}
