package org.portcullis.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import org.portcullis.ingress.RejectReason;

/**
 * Client-side clocks of one connection, placed before the HTTP decoder so it sees raw bytes. A slow client costs a
 * socket and a timer, never a thread (SECURITY-RULES 19):
 * <ul>
 *   <li><b>idle</b>: between requests, {@code limits.idle_timeout}; the connection is closed silently;</li>
 *   <li><b>head</b>: from the first byte of a request to the end of its headers, {@code limits.header_read_timeout},
 *       however steadily the bytes trickle in (slowloris); answered 408;</li>
 *   <li><b>body</b>: the longest pause between two reads of a request body, {@code limits.body_read_timeout};
 *       and once the body has been arriving for that long, its average rate must stay at or above
 *       {@code limits.body_min_rate}, so a byte sent just before each pause expires cannot hold the socket;</li>
 *   <li>while the upstream works on a response, no client clock runs (the upstream timeout does).</li>
 * </ul>
 * The frontend handler moves the phase; when a clock fires, a {@link FrontendTimeout} event goes up the pipeline.
 */
public final class FrontendTimeoutHandler extends ChannelInboundHandlerAdapter {
    /** Fired up the pipeline when a client clock runs out. */
    public record FrontendTimeout(RejectReason reason) {
    }

    private enum Phase { IDLE, HEAD, BODY, BUSY, TUNNEL }

    private final long idleNanos;
    private final long headNanos;
    private final long bodyNanos;
    private final long bodyMinBytesPerSecond;
    private long bodyStartNanos;
    private long bodyBytes;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.IDLE;
    private Deadline deadline;
    /** True while the gateway holds the request body back: the body clock is paused. */
    private boolean bodyHeldBack;

    public FrontendTimeoutHandler(Duration idle, Duration head, Duration body, long bodyMinBytesPerSecond) {
        this.idleNanos = idle.toNanos();
        this.headNanos = head.toNanos();
        this.bodyNanos = body.toNanos();
        this.bodyMinBytesPerSecond = bodyMinBytesPerSecond;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadline = new Deadline(ctx.executor(), this::expired);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitingRequest();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.IDLE) {
            arm(Phase.HEAD, headNanos);
        } else if (phase == Phase.BODY) {
            if (msg instanceof ByteBuf bytes) {
                bodyBytes += bytes.readableBytes();
            }
            if (bodyTooSlow()) {
                busy();
                ctx.fireChannelRead(msg);
                ctx.fireUserEventTriggered(new FrontendTimeout(RejectReason.BODY_READ_TIMEOUT));
                return;
            }
            arm(Phase.BODY, bodyNanos);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        phase = Phase.BUSY;
        deadline.stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        phase = Phase.TUNNEL;
        deadline.stop();
    }

    /** No request in progress: the idle clock runs until the next request's first byte. */
    public void awaitingRequest() {
        bodyHeldBack = false;
        arm(Phase.IDLE, idleNanos);
    }

    /** A request head was decoded; the body clock runs if a body follows, else no client clock. */
    public void headReceived(boolean bodyFollows) {
        bodyHeldBack = false;
        if (bodyFollows) {
            bodyStartNanos = ticker().nanoTime();
            bodyBytes = 0;
            arm(Phase.BODY, bodyNanos);
        } else {
            busy();
        }
    }

    /**
     * The request body is still coming, and the connection is {@code reading} it or not. While the gateway itself
     * holds the body back (upstream not connected or not keeping up), the client is not slow: its body clock pauses,
     * and starts again when reading does.
     */
    public void bodyReading(boolean reading) {
        if (reading != bodyHeldBack) {
            return;
        }
        if (reading) {
            headReceived(true);
        } else {
            busy();
        }
        bodyHeldBack = !reading;
    }

    /** The request is complete; the upstream clock takes over. */
    public void busy() {
        phase = Phase.BUSY;
        if (deadline != null) {
            deadline.pause();
        }
    }

    /** The connection is now a WebSocket tunnel; its end is decided by the tunnel, not by these clocks. */
    public void tunnel() {
        phase = Phase.TUNNEL;
        if (deadline != null) {
            deadline.pause();
        }
    }

    /** The event loop's clock: the system's in production, a mock one that tests move in EmbeddedChannel tests. */
    private Ticker ticker() {
        return ctx.executor().ticker();
    }

    private boolean bodyTooSlow() {
        long elapsed = ticker().nanoTime() - bodyStartNanos;
        if (bodyMinBytesPerSecond == 0 || elapsed <= bodyNanos) {
            return false;
        }
        return bodyBytes * 1_000_000_000.0 / elapsed < bodyMinBytesPerSecond;
    }

    private void arm(Phase next, long nanos) {
        phase = next;
        if (deadline != null) {
            deadline.start(nanos);
        }
    }

    private void expired() {
        if (!ctx.channel().isActive()) {
            return;
        }
        Phase expired = phase;
        phase = Phase.BUSY;
        switch (expired) {
            case IDLE -> ctx.close();
            case HEAD -> ctx.fireUserEventTriggered(new FrontendTimeout(RejectReason.HEADER_READ_TIMEOUT));
            case BODY -> ctx.fireUserEventTriggered(new FrontendTimeout(RejectReason.BODY_READ_TIMEOUT));
            default -> { }
        }
    }
}
