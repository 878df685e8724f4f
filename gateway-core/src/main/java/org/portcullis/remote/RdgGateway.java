package org.portcullis.remote;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.portcullis.admission.Admission;
import org.portcullis.audit.AuditEvent;
import org.portcullis.audit.AuditSink;
import org.portcullis.config.GatewayConfig;
import org.portcullis.signin.DesktopTokens;
import org.portcullis.signin.RequestSessions;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.storage.StorageExecutor;

/**
 * The RD Gateway endpoint of one running gateway: takes over client connections admitted as {@link
 * Admission.RemoteDesktop} and keeps the HTTP transport's OUT channels until their IN channel arrives. An OUT channel
 * is found by its {@code RDG-Connection-Id} and the client's address together, and taken once: another client that
 * learnt the id cannot attach to it, and nothing is relayed before the tunnel's access token is redeemed anyway.
 */
public final class RdgGateway {
    /** Outstanding OUT channels waiting for their IN channel are bounded (each is an open socket already). */
    static final int MAX_WAITING_OUT_CHANNELS = 4096;

    final DesktopTokens tokens;
    final RequestSessions sessions;
    final StorageExecutor storage;
    final TunnelWatch streams;
    final Supplier<GatewayConfig> config;
    final AuditSink audit;
    final Clock clock;
    final SecureRandom random = new SecureRandom();
    private final Map<String, RdgChannelHandler> waitingOut = new ConcurrentHashMap<>();

    /**
     * @param tokens   the access tokens the portal put in .rdp files
     * @param sessions what a token's session is checked with, on a storage thread
     * @param storage  the threads a token is redeemed and its session checked on (the token store may be Redis)
     * @param streams  the watch every open desktop is registered with, so it ends with its session
     * @param config   the config served now (a desktop is re-decided under it when its token is redeemed)
     * @param audit    where refusals go ({@code remote.open}/{@code remote.close} come from the stream registry)
     * @param clock    the gateway's clock (token expiry, max_duration, idle_timeout)
     */
    public RdgGateway(DesktopTokens tokens, RequestSessions sessions, StorageExecutor storage, TunnelWatch streams,
                      Supplier<GatewayConfig> config, AuditSink audit, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.config = Objects.requireNonNull(config, "config");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Makes {@code frontend}'s connection an RD Gateway channel: the HTTP handlers leave the pipeline (the request had
     * no body, so nothing of HTTP is left to read) and an {@link RdgChannelHandler} answers the request and reads on.
     */
    public void install(ChannelHandlerContext frontend, Admission.RemoteDesktop admission) {
        RdgChannelHandler handler = new RdgChannelHandler(this, admission);
        frontend.pipeline().remove("response-encoder");
        frontend.pipeline().addLast("rdg", handler);
        frontend.pipeline().remove(frontend.handler());
        frontend.pipeline().remove("timeouts");
        frontend.pipeline().remove("request-decoder");
        frontend.channel().config().setAutoRead(true);
    }

    void record(AuditEvent event) {
        audit.record(event);
    }

    boolean offerOut(String key, RdgChannelHandler out) {
        if (waitingOut.size() >= MAX_WAITING_OUT_CHANNELS) {
            return false;
        }
        if (waitingOut.putIfAbsent(key, out) != null) {
            return false;
        }
        out.channel().closeFuture().addListener(f -> waitingOut.remove(key, out));
        return true;
    }

    RdgChannelHandler takeOut(String key) {
        return waitingOut.remove(key);
    }

    static String key(String connectionId, Channel channel) {
        return connectionId + "|" + ((java.net.InetSocketAddress) channel.remoteAddress()).getAddress()
                .getHostAddress();
    }
}
