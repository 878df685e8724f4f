package org.portcullis.server;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.portcullis.config.AdminConfig;
import org.portcullis.ops.AdminServer;
import org.portcullis.ops.GatewayChecks;
import org.portcullis.ops.HealthCheck;
import org.portcullis.ops.GatewayMetrics;
import org.portcullis.ops.Readiness;
import org.portcullis.proxy.GatewayRuntime;
import org.portcullis.proxy.GoingAway;
import org.portcullis.signin.LiveStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What running Portcullis as infrastructure adds to the server (issue 19): its metrics and the gauges read from the
 * runtime, the admin listener with {@code /metrics} and {@code /health/*}, the open client connections, and the
 * drain of a graceful shutdown. Built once by {@link GatewayServer#start}.
 */
public final class Operations {
    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);
    /** How often the drain looks whether the last request was answered. */
    private static final long DRAIN_POLL_MILLIS = 20;

    private final GatewayMetrics metrics;
    private final GatewayRuntime runtime;
    private final OpenConnections connections = new OpenConnections();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Readiness readiness;
    private AdminServer admin;

    Operations(GatewayMetrics metrics, GatewayRuntime runtime, Optional<LiveStreams> streams,
               List<HealthCheck> moreChecks) {
        this.metrics = metrics;
        this.runtime = runtime;
        metrics.watchLogs(runtime.accessLog(), runtime.audit());
        metrics.watchPools(runtime.pools(), () -> runtime.snapshot().config());
        metrics.watchCertificates(() -> runtime.snapshot().config(), runtime.clock());
        runtime.storage().ifPresent(storage -> metrics.watchSessions(storage, streams, runtime.clock()));
        BooleanSupplier draining = shuttingDown::get;
        this.readiness = new Readiness(GatewayChecks.standard(runtime::snapshot, runtime.storage().orElse(null),
                runtime.storageThreads(), runtime.audit(), moreChecks), draining);
    }

    /** Starts the admin listener when {@code server.admin} is configured. */
    void startAdmin(AdminConfig config) throws Exception {
        if (config == null) {
            return;
        }
        try {
            admin = AdminServer.start(config, metrics, readiness);
        } catch (Exception e) {
            throw ListenFailure.of("admin " + config.address(), e);
        }
        LOG.info("admin listener (metrics, health) on {}", admin.address());
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** Where the admin listener listens, when it is configured. */
    public Optional<java.net.InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::address);
    }

    OpenConnections connections() {
        return connections;
    }

    /** Whether a graceful shutdown has begun (readiness is then false). */
    public boolean shuttingDown() {
        return shuttingDown.get();
    }

    /**
     * Stops accepting, sends every WebSocket tunnel its close frame, and waits until the requests in flight are
     * answered and the tunnels closed, or {@code grace} has passed.
     */
    void drain(List<Channel> serverChannels, Duration grace) {
        shuttingDown.set(true);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Channel channel : serverChannels) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Channel connection : connections.group()) {
            connection.pipeline().fireUserEventTriggered(GoingAway.INSTANCE);
        }
        LOG.info("shutting down: no longer accepting; {} requests in flight, {} tunnels told to close; waiting up "
                + "to {}", metrics.requests().inFlight(), connections.tunnels(), grace);
        while ((metrics.requests().inFlight() > 0 || connections.tunnels() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = metrics.requests().inFlight();
        if (left > 0) {
            LOG.warn("shutdown grace ({}) ended with {} requests still in flight: cutting them", grace, left);
        }
        // Idle keep-alive connections (and whatever is left) close now, while the event loops still run.
        connections.group().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** True the first time (the caller then closes everything), false afterwards. */
    boolean closing() {
        return closed.compareAndSet(false, true);
    }

    void closeAdmin() {
        if (admin != null) {
            admin.close();
        }
    }
}
