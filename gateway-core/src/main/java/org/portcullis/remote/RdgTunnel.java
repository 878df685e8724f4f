package org.portcullis.remote;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.portcullis.admission.Admission;
import org.portcullis.audit.RemoteAccess;
import org.portcullis.config.RemoteDesktopConfig;
import org.portcullis.rdg.ClientPacket;
import org.portcullis.rdg.ClientPacketDecoder;
import org.portcullis.rdg.ErrorCodes;
import org.portcullis.rdg.RdgProtocolException;
import org.portcullis.rdg.ServerPackets;
import org.portcullis.rdg.WebSocketFrames;
import org.portcullis.signin.DesktopAccess;
import org.portcullis.signin.DesktopTokens;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.signin.StreamCloseReason;
import org.portcullis.signin.StreamKind;

/**
 * One RD Gateway tunnel, on its client channel's event loop: handshake, tunnel (the access token is redeemed here:
 * single use, its session checked in the store, the desktop re-decided under the config current now), tunnel
 * authorisation, channel (the client's requested host and port must be the desktop's; the gateway connects to the
 * configured address only), then RDP bytes both ways, counted exactly. Every refusal answers the client with the
 * protocol's error code in the packet it waits for, writes one {@code remote.refused} event, and closes; nothing is
 * connected before the channel request passed. An open desktop is registered in {@link LiveStreams} as an RDP stream
 * (cut when its session ends or a reload no longer lets its user through; {@code remote.open}/{@code remote.close}
 * with the exact RDP bytes each way come from there) and ends at its own {@code max_duration} and
 * {@code idle_timeout} by the gateway's clock, telling the client why in the protocol's close packet.
 */
final class RdgTunnel {
    /** How long a tunnel may take from the first packet to an open channel. */
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    /** How often the clocks (setup, max_duration, idle_timeout) are checked. */
    static final long TICK_MILLIS = 200;
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final RdgGateway gateway;
    private final Admission.RemoteDesktop admission;
    private final Channel client;
    private final Channel out;
    private final boolean websocket;
    private final ClientPacketDecoder decoder = new ClientPacketDecoder();
    private final String sourceIp;
    private final Instant started;
    private ScheduledFuture<?> tick;
    private DesktopTokens.Grant grant;
    private ResolvedSession session;
    private RemoteDesktopConfig desktop;
    private Channel target;
    private LiveStreams.Stream stream;
    private Instant openedAt;
    private volatile Instant lastTraffic;
    private boolean busy;
    private boolean ended;

    RdgTunnel(RdgGateway gateway, Admission.RemoteDesktop admission, Channel client, Channel out, boolean websocket) {
        this.gateway = gateway;
        this.admission = admission;
        this.client = client;
        this.out = out;
        this.websocket = websocket;
        this.sourceIp = admission.request().clientAddress().getHostAddress();
        this.started = gateway.clock.instant();
    }

    void start() {
        tick = client.eventLoop().scheduleAtFixedRate(this::checkClocks, TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        out.closeFuture().addListener(f -> client.eventLoop().execute(this::clientChannelClosed));
    }

    /** Payload bytes the carrier (chunks, frames) unwrapped. */
    void fromClient(byte[] bytes, int offset, int length) throws RdgProtocolException {
        if (ended) {
            return;
        }
        for (ClientPacket packet : decoder.decode(bytes, offset, length)) {
            onPacket(packet);
        }
    }

    private void onPacket(ClientPacket packet) throws RdgProtocolException {
        if (ended) {
            return;
        }
        if (busy && !(packet instanceof ClientPacket.Keepalive)) {
            // The client sent its next request before the answer to the last one: MS-TSGU never does that.
            throw new RdgProtocolException(RdgProtocolException.Reason.WRONG_ORDER, "packet before the answer");
        }
        if (packet instanceof ClientPacket.HandshakeRequest handshake) {
            if (handshake.extendedAuth() != ErrorCodes.EXTENDED_AUTH_PAA) {
                refuse("no_token", ServerPackets.handshakeResponse(ErrorCodes.E_PROXY_UNSUPPORTED_AUTHENTICATION_METHOD));
                return;
            }
            send(ServerPackets.handshakeResponse(ErrorCodes.OK));
        } else if (packet instanceof ClientPacket.TunnelCreate create) {
            redeem(create);
        } else if (packet instanceof ClientPacket.TunnelAuth) {
            int idle = desktop.idleTimeout() == null ? 0 : (int) Math.max(1, desktop.idleTimeout().toMinutes());
            send(ServerPackets.tunnelAuthResponse(ErrorCodes.OK, idle));
        } else if (packet instanceof ClientPacket.ChannelCreate channel) {
            openChannel(channel);
        } else if (packet instanceof ClientPacket.Data data) {
            toTarget(data.payload());
        } else if (packet instanceof ClientPacket.Keepalive) {
            send(ServerPackets.keepalive());
        } else if (packet instanceof ClientPacket.CloseChannel) {
            send(ServerPackets.closeChannelResponse(ErrorCodes.OK));
            end("client_closed");
        } else if (packet instanceof ClientPacket.CloseChannelResponse) {
            end("client_closed");
        }
    }

    /** What a storage thread found: the token's grant and its session as stored now, or why there is none. */
    private record Checked(DesktopTokens.Redeemed redeemed, ResolvedSession resolved) {
    }

    /**
     * The token decides who and what; the session must still be good and the desktop still allowed now. Both the
     * token (whose store may be Redis: single use across the cluster) and the session are read on a storage thread,
     * never on this event loop; a failure of either refuses ({@code store_failed}).
     */
    private void redeem(ClientPacket.TunnelCreate create) {
        String token = create.paaCookie();
        var sessions = gateway.sessions.sessions(gateway.config.get());
        busy = true;
        gateway.storage.submit(() -> {
            DesktopTokens.Redeemed redeemed = gateway.tokens.redeem(token);
            return new Checked(redeemed, redeemed.grant() == null ? null
                    : gateway.sessions.resolver().resolveNow(redeemed.grant().session(), sessions));
        }).whenComplete((checked, error) -> client.eventLoop().execute(() -> sessionChecked(checked, error)));
    }

    private void sessionChecked(Checked checked, Throwable error) {
        busy = false;
        if (ended) {
            return;
        }
        byte[] denied = ServerPackets.tunnelResponse(ErrorCodes.E_PROXY_COOKIE_AUTHENTICATION_ACCESS_DENIED, 0, null);
        if (error != null || checked == null) {
            refuse("store_failed", ServerPackets.tunnelResponse(ErrorCodes.E_PROXY_INTERNALERROR, 0, null));
            return;
        }
        if (checked.redeemed().grant() == null) {
            refuse(checked.redeemed().refusal().name().toLowerCase(Locale.ROOT), denied);
            return;
        }
        grant = checked.redeemed().grant();
        ResolvedSession resolved = checked.resolved();
        if (!resolved.signedIn() || !resolved.user().username().equals(grant.user())) {
            refuse("session_gone", denied);
            return;
        }
        session = resolved;
        Optional<RemoteDesktopConfig> allowed = DesktopAccess.find(gateway.config.get(), grant.desktop(),
                resolved);
        if (allowed.isEmpty()) {
            refuse("policy_changed", denied);
            return;
        }
        desktop = allowed.get();
        send(ServerPackets.tunnelResponse(ErrorCodes.OK, 1, desktop.consent()));
    }

    /** The client names a host and port; they must be the desktop's, and the desktop's address is used. */
    private void openChannel(ClientPacket.ChannelCreate channel) {
        String host = desktop.address().host();
        boolean same = channel.port() == desktop.address().port() && channel.protocol() == 3
                && channel.resources().stream().allMatch(r -> r.equalsIgnoreCase(host))
                && channel.alternativeResources().stream().allMatch(r -> r.equalsIgnoreCase(host));
        if (!same) {
            refuse("target_mismatch", ServerPackets.channelResponse(ErrorCodes.E_PROXY_RAP_ACCESSDENIED, 0));
            return;
        }
        busy = true;
        client.config().setAutoRead(false);
        new Bootstrap().group(client.eventLoop()).channel(targetChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new TargetHandler())
                .connect(host, desktop.address().port())
                .addListener((ChannelFutureListener) f -> connected(f.isSuccess() ? f.channel() : null));
    }

    @SuppressWarnings("unchecked")
    private Class<? extends Channel> targetChannelClass() {
        return (Class<? extends Channel>) client.getClass();
    }

    private void connected(Channel connected) {
        busy = false;
        if (connected == null) {
            refuse("target_unreachable", ServerPackets.channelResponse(ErrorCodes.E_PROXY_TS_CONNECTFAILED, 0));
            return;
        }
        if (ended) {
            connected.close();
            return;
        }
        target = connected;
        openedAt = gateway.clock.instant();
        lastTraffic = openedAt;
        stream = gateway.streams.watch(opening(), client, target);
        send(ServerPackets.channelResponse(ErrorCodes.OK, 1));
        target.config().setAutoRead(true);
        target.read();
        client.config().setAutoRead(true);
    }

    /**
     * The stream's entry (session, user, factors, source, the configured target) and how it is re-decided after a
     * reload: the desktop must still be there and still let the session's present state through.
     */
    private LiveStreams.Opening opening() {
        String name = desktop.name();
        LiveStreams.Entry entry = new LiveStreams.Entry(grant.session().hash(), grant.user(),
                desktop.address().toString(), name, openedAt, session.session().factors(), sourceIp, StreamKind.RDP);
        return new LiveStreams.Opening(grant.session(), entry, session.session().absoluteExpiry(),
                desktop.maxDuration(), desktop.idleTimeout(),
                state -> DesktopAccess.stillAllowed(gateway.config.get(), name, state));
    }

    private void toTarget(byte[] payload) {
        if (target == null || !target.isActive()) {
            end("target_closed");
            return;
        }
        lastTraffic = gateway.clock.instant();
        stream.fromClient(payload.length);
        target.writeAndFlush(Unpooled.wrappedBuffer(payload));
        if (!target.isWritable()) {
            client.config().setAutoRead(false);
        }
    }

    void clientWritable() {
        if (target != null && target.isActive()) {
            target.config().setAutoRead(true);
        }
    }

    /** Bytes from the desktop, in data packets of at most 65535 bytes. */
    private final class TargetHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof ByteBuf buf) || ended) {
                    return;
                }
                while (buf.isReadable()) {
                    int n = Math.min(buf.readableBytes(), 0xFFFF);
                    byte[] chunk = new byte[n];
                    buf.readBytes(chunk);
                    stream.toClient(n);
                    send(ServerPackets.data(chunk, 0, n));
                }
                lastTraffic = gateway.clock.instant();
                if (!out.isWritable()) {
                    ctx.channel().config().setAutoRead(false);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                client.config().setAutoRead(true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.eventLoop().execute(() -> {
                if (!ended) {
                    send(ServerPackets.closeChannel(ErrorCodes.OK));
                    end("target_closed");
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    void clientChannelClosed() {
        if (!ended) {
            end("client_closed");
        }
    }

    private void checkClocks() {
        if (ended) {
            return;
        }
        Instant now = gateway.clock.instant();
        if (openedAt == null) {
            if (!now.isBefore(started.plus(SETUP_TIMEOUT)) && !busy) {
                end("setup_timeout");
            }
            return;
        }
        if (!now.isBefore(openedAt.plus(desktop.maxDuration()))) {
            send(ServerPackets.closeChannel(ErrorCodes.E_PROXY_SESSIONTIMEOUT));
            end("max_duration");
        } else if (desktop.idleTimeout() != null && !now.isBefore(lastTraffic.plus(desktop.idleTimeout()))) {
            send(ServerPackets.closeChannel(ErrorCodes.E_PROXY_SESSIONTIMEOUT));
            end("idle_timeout");
        }
    }

    void protocolError(RdgProtocolException e) {
        if (openedAt == null) {
            refuse("protocol_" + e.reason().name().toLowerCase(Locale.ROOT), null);
        } else {
            end("protocol_" + e.reason().name().toLowerCase(Locale.ROOT));
        }
    }

    /** Answers {@code answer} (if any), writes the refusal, closes. Nothing was connected. */
    private void refuse(String reason, byte[] answer) {
        if (ended) {
            return;
        }
        if (answer != null) {
            send(answer);
        }
        gateway.record(new RemoteAccess(RemoteAccess.ACTION_REFUSED, reason, grant == null ? null : grant.user(),
                sourceIp, session == null ? null : session.sessionHash(), StreamKind.RDP.code(),
                desktop == null ? null : desktop.address().toString(), grant == null ? null : grant.desktop(),
                List.of(), null, gateway.clock.instant(), null, 0, 0));
        closeAll();
    }

    /**
     * Ends an open (or opening) tunnel once. An opening one is a refusal; an open one's stream is told why (unless it
     * was cut first, whose reason wins), and its {@code remote.close} follows when the client channel has closed.
     */
    void end(String reason) {
        if (ended) {
            return;
        }
        if (stream == null) {
            refuse(reason, null);
            return;
        }
        stream.endedBy(closeReason(reason));
        closeAll();
    }

    private static StreamCloseReason closeReason(String reason) {
        return switch (reason) {
            case "target_closed" -> StreamCloseReason.CLOSED_BY_TARGET;
            case "max_duration" -> StreamCloseReason.MAX_DURATION;
            case "idle_timeout" -> StreamCloseReason.IDLE_TIMEOUT;
            default -> reason.startsWith("protocol_") ? StreamCloseReason.PROTOCOL_ERROR
                    : StreamCloseReason.CLOSED_BY_CLIENT;
        };
    }

    private void closeAll() {
        ended = true;
        if (tick != null) {
            tick.cancel(false);
        }
        if (target != null) {
            target.close();
        }
        out.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void send(byte[] packet) {
        if (!out.isActive()) {
            return;
        }
        out.writeAndFlush(Unpooled.wrappedBuffer(websocket ? WebSocketFrames.binary(packet) : packet));
    }
}
