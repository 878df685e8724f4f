package org.portcullis.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.portcullis.proxy.ConnectionCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every client connection: closes it at once when its source address already holds
 * {@code limits.max_connections_per_address} connections, before TLS or HTTP cost anything. The count is of socket
 * peers: behind a load balancer, raise the limit for the balancer's addresses.
 */
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimitHandler.class);

    private final ConnectionCounter counter;
    private final int max;

    ConnectionLimitHandler(ConnectionCounter counter, int max) {
        this.counter = counter;
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!counter.tryAcquire(address, max)) {
            LOG.warn("connection refused: address {} already has {} connections", address.getHostAddress(), max);
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.channel().closeFuture().addListener(f -> counter.release(address));
        ctx.fireChannelActive();
    }
}
