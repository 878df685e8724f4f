package org.portcullis.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Every client connection open now, for the graceful shutdown: the {@link #tracker()} sits on each listener's server
 * channel and sees each accepted connection before the acceptor hands it to its event loop; the group forgets a
 * connection when it closes.
 */
final class OpenConnections {
    private final ChannelGroup group = new DefaultChannelGroup("client-connections", GlobalEventExecutor.INSTANCE);
    private final Tracker tracker = new Tracker();

    /** The handler for {@code ServerBootstrap.handler(…)}: shared by every listener. */
    ChannelHandler tracker() {
        return tracker;
    }

    ChannelGroup group() {
        return group;
    }

    /** How many client connections are in a WebSocket tunnel now. */
    int tunnels() {
        int count = 0;
        for (Channel channel : group) {
            if (channel.pipeline().get("tunnel") != null) {
                count++;
            }
        }
        return count;
    }

    @ChannelHandler.Sharable
    private final class Tracker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                group.add(child);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
