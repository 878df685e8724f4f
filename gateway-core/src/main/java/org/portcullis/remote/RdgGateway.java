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
import org.portcullis.signin.SignInServices;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * The RD Gateway endpoint of one running gateway: takes over client connections admitted as {@link
 * Admission.RemoteDesktop} and keeps the HTTP transport's OUT channels until their IN channel arrives. An OUT channel
 * is found by its {@code RDG-Connection-Id} and the client's address together, and taken once: another client that
 * learnt the id cannot attach to it, and nothing is relayed before the tunnel's access token is redeemed anyway.
 */
public final class RdgGateway {
    /** Outstanding OUT channels waiting for their IN channel are bounded (each is an open socket already). */
    static final int MAX_WAITING_OUT_CHANNELS = 4096;

    final SignInServices services;
    final Supplier<GatewaySnapshot> snapshots;
    final AuditSink audit;
    final Clock clock;
    final SecureRandom random = new SecureRandom();
    private final Map<String, RdgChannelHandler> waitingOut = new ConcurrentHashMap<>();

    public RdgGateway(SignInServices services, Supplier<GatewaySnapshot> snapshots, AuditSink audit, Clock clock) {
        this.services = Objects.requireNonNull(services, "services");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
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
