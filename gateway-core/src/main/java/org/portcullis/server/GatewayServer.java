package org.portcullis.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.portcullis.audit.AdminEventRelay;
import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditAnchors;
import org.portcullis.audit.AuditSink;
import org.portcullis.audit.JsonLinesAuditSink;
import org.portcullis.audit.NoopAuditSink;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.IdentityConfig;
import org.portcullis.config.ListenerConfig;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.SecretBox;
import org.portcullis.ops.GatewayMetrics;
import org.portcullis.pool.Transport;
import org.portcullis.pool.UpstreamPools;
import org.portcullis.proxy.AccessLog;
import org.portcullis.proxy.GatewayRuntime;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.snapshot.CurrentSnapshot;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.snapshot.TlsEngine;
import org.portcullis.storage.Database;
import org.portcullis.ssh.SshHostKeys;
import org.portcullis.ssh.SshJumpHost;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.upstream.JwtSigner;
import org.portcullis.upstream.SigningKeys;
import org.portcullis.upstream.UpstreamIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: one event-loop group for accepting, one for connections (one thread per core, client and
 * upstream connections of an exchange share a thread), and one server channel per configured listener.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayRuntime runtime;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final List<ListenerConfig> listeners;
    private final SignInAssembly signIn;
    /** Set once, right after start, when there is an {@code ssh} section. */
    private volatile SshJumpHost jumpHost;
    private final Operations operations;

    private GatewayServer(GatewayRuntime runtime, SignInAssembly signIn, EventLoopGroup boss, EventLoopGroup workers,
                          List<ListenerConfig> listeners, Operations operations) {
        this.operations = operations;
        this.runtime = runtime;
        this.signIn = signIn;
        this.boss = boss;
        this.workers = workers;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Builds the first snapshot, opens the audit trail and (when configured) the local store, checks the store's
     * encryption key, and binds every listener; fails (and releases everything) if any step fails. A wrong key fails
     * here, before any listener is bound, not at the first sign-in.
     */
    public static GatewayServer start(GatewayConfig config, Clock clock) throws Exception {
        return start(config, clock, new StorageExecutor());
    }

    /**
     * Like {@link #start(GatewayConfig, Clock)}, with the threads session lookups that miss the session cache run
     * on (the portal's sign-in steps have a pool of their own, {@code SignInAssembly#portalThreads}). The server owns
     * them from here on and closes them with itself, also when the start fails. Tests hand in one they can close, fill or stall, to see every request fail closed.
     */
    public static GatewayServer start(GatewayConfig config, Clock clock, StorageExecutor storageThreads)
            throws Exception {
        return start(config, clock, storageThreads, StartOptions.DEFAULT);
    }

    /**
     * How a gateway starts beyond its config. Only tests set anything here, and only before the start: the wiring
     * never changes afterwards.
     *
     * @param withoutAssertionKey start with no JWT signing key, the state in which a route that wants an assertion
     *                            must refuse its requests rather than forward them without one
     */
    public record StartOptions(boolean withoutAssertionKey) {
        public static final StartOptions DEFAULT = new StartOptions(false);
    }

    /** Like {@link #start(GatewayConfig, Clock, StorageExecutor)}, with {@code options}. */
    public static GatewayServer start(GatewayConfig config, Clock clock, StorageExecutor storageThreads,
                                      StartOptions options) throws Exception {
        try {
            return startWith(config, clock, storageThreads, options);
        } catch (Exception | Error e) {
            storageThreads.close();
            throw e;
        }
    }

    private static GatewayServer startWith(GatewayConfig config, Clock clock, StorageExecutor storageThreads,
                                           StartOptions options) throws Exception {
        Transport transport = Transport.of(config.server().transport());
        TlsEngine.chooseAtStart(config.server().tlsProvider());
        UpstreamPools pools = new UpstreamPools(transport);
        GatewaySnapshot snapshot = GatewaySnapshot.build(config, pools, clock);
        // The store first: the audit trail notes its end there (AuditAnchors) and checks it at start.
        Database storage = config.storage() == null ? null : StorageStartup.open(config.storage(), clock);
        AuditSink audit;
        try {
            audit = config.audit() == null ? NoopAuditSink.INSTANCE : JsonLinesAuditSink.openForGateway(
                    org.portcullis.audit.AuditNode.named(config), clock,
                    storage == null ? null : new AuditAnchors(storage), config.source());
        } catch (Exception e) {
            if (storage != null) {
                storage.close();
            }
            throw e;
        }
        GatewayMetrics metrics = new GatewayMetrics();
        audit = metrics.metered(audit);
        if (storage != null) {
            storage.observe(metrics.store());
        }
        AccessLog accessLog;
        try {
            accessLog = AccessLog.open(config.server().accessLog(), clock);
        } catch (Exception e) {
            audit.close();
            if (storage != null) {
                storage.close();
            }
            throw e;
        }
        if (config.enrolment().allowFirstFactorOnly()) {
            LOG.warn("enrolment.allow_first_factor_only is true: a PASSWORD ALONE can enrol a second factor, so a"
                    + " stolen password becomes a stolen account. Only for closed test environments;"
                    + " remove it before real users sign in (SECURITY-RULES 15)");
        }
        CurrentSnapshot current = new CurrentSnapshot(snapshot);
        SignInAssembly signIn = null;
        UpstreamIdentity identity = new UpstreamIdentity(null);
        if (storage != null && config.users() != null) {
            try {
                identity = new UpstreamIdentity(options.withoutAssertionKey() ? null
                        : assertionSigner(config, storage, clock));
                signIn = SignInAssembly.start(config, storage, storageThreads, clock, audit, identity,
                        () -> current.get().config());
            } catch (Exception e) {
                accessLog.close();
                audit.close();
                storage.close();
                throw e;
            }
        }
        if (signIn != null) {
            // A held Windows login ends with its session, not at the client connection's next request.
            signIn.sessionInvalidations().subscribe(pools.held());
        }
        AdminEventRelay adminEvents = storage == null ? null
                : new AdminEventRelay(new AdminEvents(storage), audit, new StorageExecutor(1, 16));
        GatewayRuntime runtime = new GatewayRuntime(current, pools, transport, clock, audit, accessLog, storage,
                storageThreads, signIn == null ? null : new GatewayRuntime.SignIn(signIn.requestSessions(),
                        signIn.tunnels(), signIn.portal(), identity, signIn.remoteDesktops(),
                        new org.portcullis.tcp.TcpConnect(signIn.portal().connectGrants(), signIn.requestSessions(),
                                storageThreads, signIn.tunnels(), current::get, transport.clientChannel())),
                adminEvents, metrics.requests());
        EventLoopGroup boss = transport.newGroup(1);
        EventLoopGroup workers = transport.newGroup(io.netty.util.NettyRuntime.availableProcessors());
        if (signIn != null) {
            signIn.observeDirectory(metrics.directory());
        }
        Operations operations = new Operations(metrics, runtime,
                signIn == null ? Optional.empty() : Optional.of(signIn.liveStreams()),
                signIn == null ? List.of() : signIn.healthChecks());
        GatewayServer server = new GatewayServer(runtime, signIn, boss, workers, config.server().listeners(),
                operations);
        try {
            for (ListenerConfig listener : config.server().listeners()) {
                server.bind(listener);
            }
            operations.startAdmin(config.server().admin());
        } catch (Exception e) {
            server.close();
            throw e;
        }
        LOG.info("Portcullis listening on {} ({} transport)", server.boundAddresses(), transport.name());
        if (config.ssh() != null && signIn != null) {
            try {
                server.jumpHost = SshJumpHost.start(config.ssh(), config.sessions().idle(), signIn.sshSignIn(),
                        new SshHostKeys(storage, new SecretBox(EncryptionKey.parse(
                                config.storage().encryptionKeyText())), clock).loadOrCreate(
                                config.ssh().hostKeyAlgorithm()));
            } catch (Exception e) {
                server.close();
                throw e;
            }
        }
        return server;
    }

    /**
     * The signer of JWT assertions: the configured {@code identity.signing_key}, or a key generated once and kept
     * encrypted in the store. Built at start; a changed {@code identity} section applies at the next restart.
     */
    private static JwtSigner assertionSigner(GatewayConfig config, Database storage, Clock clock) {
        SigningKeys keys = new SigningKeys(storage, new SecretBox(EncryptionKey.parse(
                config.storage().encryptionKeyText())), clock);
        URI portal = config.portal() == null ? null : config.portal().url();
        return new JwtSigner(SigningKeys.forConfig(config.identity(), keys),
                IdentityConfig.issuer(config.identity(), portal), clock);
    }

    private void bind(ListenerConfig listener) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(runtime.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(operations.connections().tracker())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, true)
                // A 64 KiB response fits without the client connection turning unwritable, so common responses
                // do not pause and resume the upstream; a slow client still holds at most 512 KiB in flight.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 512 * 1024))
                .childHandler(new GatewayPipelineInitializer(runtime, listener));
        InetSocketAddress address = new InetSocketAddress(listener.address().host(), listener.address().port());
        Channel channel;
        try {
            channel = bootstrap.bind(address).sync().channel();
        } catch (Exception e) {
            throw ListenFailure.of(listener.address().toString(), e);
        }
        serverChannels.add(channel);
        if (!listener.isTls() && !listener.address().isLoopback()) {
            LOG.warn("listener {} serves plain HTTP on a non-loopback address (allow_plain_http: true): only safe "
                    + "behind a TLS-terminating load balancer", listener.address());
        }
    }

    public GatewayRuntime runtime() {
        return runtime;
    }

    /** The sign-in machinery (its users file's watch, its stores), when {@code storage} and {@code users} are set. */
    public Optional<SignInAssembly> signIn() {
        return Optional.ofNullable(signIn);
    }

    public List<ListenerConfig> listeners() {
        return listeners;
    }

    /** The addresses actually bound, in listener order (ports resolved when the config said 0). */
    public List<InetSocketAddress> boundAddresses() {
        return serverChannels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** The SSH jump host, when the config has an {@code ssh} section. */
    public Optional<SshJumpHost> jumpHost() {
        return Optional.ofNullable(jumpHost);
    }

    /** The metrics, the admin listener and the count of open connections (issue 19). */
    public Operations operations() {
        return operations;
    }

    /**
     * The graceful stop of SIGTERM: stops accepting, tells open WebSocket tunnels with a close frame, waits up to
     * {@code grace} for the requests in flight to be answered, then {@link #close()}s (which cuts what is left and
     * writes out the audit trail and the access log). Readiness turns false at once, so a load balancer stops sending.
     */
    public void shutdown(java.time.Duration grace) {
        operations.drain(serverChannels, grace);
        close();
    }

    /** Stops accepting, lets the event loops finish what they are doing (bounded), and closes everything. */
    @Override
    public void close() {
        if (!operations.closing()) {
            return; // closed already (a shutdown hook after a graceful stop)
        }
        for (Channel channel : serverChannels) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        operations.closeAdmin();
        // Open streams end with the gateway (remote.close, reason shutdown), while the event loops still run.
        signIn().ifPresent(s -> s.liveStreams().endAll());
        if (jumpHost != null) {
            jumpHost.close();
        }
        runtime.pools().closeIdle();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        // Last: the event loops have stopped recording, so everything they recorded is written out.
        runtime.tunnels().ifPresent(TunnelWatch::close);
        runtime.adminEvents().ifPresent(AdminEventRelay::close);
        signIn().ifPresent(SignInAssembly::close);
        runtime.storageThreads().close();
        runtime.accessLog().close();
        runtime.audit().close();
        runtime.storage().ifPresent(Database::close);
        operations.metrics().close();
    }
}
