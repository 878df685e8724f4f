package org.portcullis.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.portcullis.http1.Http1Limits;
import org.portcullis.http1.StrictHttpResponseDecoder;

/**
 * Keep-alive connections to one upstream origin, at most {@code maxConnections} open at once (busy plus idle).
 * Idle connections are kept per event loop, so an exchange always uses a connection on its own thread and never
 * crosses threads. A connection idle for longer than {@link #MAX_IDLE} is closed instead of reused, so the gateway
 * rarely races an upstream that is closing it. When the limit is reached, acquire fails at once (the client gets
 * 503) rather than queueing without bound.
 */
public final class UpstreamPool {
    static final Duration MAX_IDLE = Duration.ofSeconds(20);

    private final UpstreamKey key;
    private final Transport transport;
    private final UpstreamTls tls;
    private final int maxConnections;
    private final HeldUpstreams held;
    private final AtomicInteger open = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong connectFailures = new java.util.concurrent.atomic.AtomicLong();
    private final Map<EventLoop, ArrayDeque<UpstreamConnection>> idleByLoop = new ConcurrentHashMap<>();

    UpstreamPool(UpstreamKey key, Transport transport, UpstreamTls tls, int maxConnections, HeldUpstreams held) {
        this.held = held;
        this.key = key;
        this.transport = transport;
        this.tls = tls;
        this.maxConnections = maxConnections;
    }

    /** The node's register of held connection-bound connections (see {@link PinnedUpstreams}). */
    HeldUpstreams held() {
        return held;
    }

    public UpstreamKey key() {
        return key;
    }

    /** Connections open now, busy or idle (for the metrics). */
    public int openConnections() {
        return Math.max(0, open.get());
    }

    /** The most connections this pool opens at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Connections that could not be made since start: unresolvable, refused, timed out, TLS failed. */
    public long connectFailures() {
        return connectFailures.get();
    }

    /** Must be called on {@code loop}. Completes with a connection owned by the caller until release or discard. */
    public Future<UpstreamConnection> acquire(EventLoop loop, Duration connectTimeout) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        UpstreamConnection idle = pollIdle(loop);
        if (idle != null) {
            idle.markReused();
            return promise.setSuccess(idle);
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return promise.setFailure(new UpstreamBusyException(key));
        }
        connect(loop, connectTimeout, promise);
        return promise;
    }

    void release(UpstreamConnection connection) {
        Channel channel = connection.channel();
        if (!channel.isActive()) {
            return;
        }
        connection.idleSince(System.nanoTime());
        idleByLoop.computeIfAbsent(channel.eventLoop(), l -> new ArrayDeque<>()).push(connection);
    }

    /**
     * Closes every idle connection (used at shutdown). Each idle deque belongs to its event loop, so it is emptied on
     * that loop: iterating it from here raced the close listeners that remove closed connections from it.
     */
    public void closeIdle() {
        idleByLoop.forEach((loop, deque) -> loop.execute(() -> {
            UpstreamConnection idle;
            while ((idle = deque.poll()) != null) {
                idle.channel().close();
            }
        }));
    }

    private UpstreamConnection pollIdle(EventLoop loop) {
        ArrayDeque<UpstreamConnection> deque = idleByLoop.get(loop);
        if (deque == null) {
            return null;
        }
        long now = System.nanoTime();
        UpstreamConnection candidate;
        while ((candidate = deque.poll()) != null) {
            boolean fresh = now - candidate.idleSinceNanos() < MAX_IDLE.toNanos();
            if (candidate.channel().isActive() && fresh) {
                return candidate;
            }
            candidate.channel().close();
        }
        return null;
    }

    private void connect(EventLoop loop, Duration connectTimeout, Promise<UpstreamConnection> promise) {
        StrictHttpResponseDecoder decoder = new StrictHttpResponseDecoder(Http1Limits.responseDefaults());
        UpstreamHandler handler = new UpstreamHandler();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                // Response bodies come in large pieces: reading up to 256 KiB at once means fewer reads, fewer
                // messages and fewer writes per response.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), key.host(), key.port()));
                        }
                        ch.pipeline().addLast("request-encoder", new HttpRequestEncoder());
                        ch.pipeline().addLast("response-decoder", decoder);
                        ch.pipeline().addLast("upstream", handler);
                    }
                });
        Future<InetAddress> resolved = UpstreamResolver.resolve(key.host(), loop);
        resolved.addListener(r -> {
            if (!r.isSuccess()) {
                open.decrementAndGet();
                connectFailures.incrementAndGet();
                promise.tryFailure(r.cause());
                return;
            }
            connectResolved(bootstrap, new InetSocketAddress(resolved.getNow(), key.port()), loop, promise,
                    decoder, handler);
        });
    }

    private void connectResolved(Bootstrap bootstrap, InetSocketAddress address, EventLoop loop,
                                 Promise<UpstreamConnection> promise, StrictHttpResponseDecoder decoder,
                                 UpstreamHandler handler) {
        ChannelFuture connectFuture = bootstrap.connect(address);
        Channel channel = connectFuture.channel();
        channel.closeFuture().addListener(f -> {
            open.decrementAndGet();
            ArrayDeque<UpstreamConnection> deque = idleByLoop.get(loop);
            if (deque != null) {
                deque.removeIf(c -> c.channel() == channel);
            }
        });
        UpstreamConnection connection = new UpstreamConnection(channel, decoder, handler, this);
        connectFuture.addListener(f -> {
            if (!f.isSuccess()) {
                connectFailures.incrementAndGet();
                promise.tryFailure(f.cause());
                return;
            }
            if (tls == null) {
                promise.trySuccess(connection);
                return;
            }
            channel.pipeline().get(io.netty.handler.ssl.SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    promise.trySuccess(connection);
                } else {
                    connectFailures.incrementAndGet();
                    channel.close();
                    promise.tryFailure(h.cause());
                }
            });
        });
    }
}
