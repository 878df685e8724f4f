package org.portcullis.pool;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import org.portcullis.config.ServerConfig;

/** Native epoll on Linux when it loads, NIO otherwise. Chosen once for the process. */
public record Transport(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> clientChannel) {

    /**
     * The transport {@code server.transport} asks for. {@code auto} takes epoll when it loads, else NIO; an explicit
     * choice the platform does not offer fails the start with the reason, never silently another transport.
     *
     * @throws IllegalStateException the chosen transport is not available here
     */
    public static Transport of(ServerConfig.Transport choice) {
        switch (choice) {
            case IO_URING:
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("server.transport is io_uring, but io_uring is not available here: "
                            + IoUring.unavailabilityCause());
                }
                return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                        IoUringSocketChannel.class);
            case EPOLL:
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("server.transport is epoll, but epoll is not available here: "
                            + Epoll.unavailabilityCause());
                }
                return epoll();
            case NIO:
                return nio();
            default:
                return best();
        }
    }

    private static Transport epoll() {
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class);
    }

    private static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(),
                    EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }
}
