package org.portcullis.proxy;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.portcullis.admission.RequestAdmission;
import org.portcullis.audit.AdminEventRelay;
import org.portcullis.audit.AuditSink;
import org.portcullis.audit.NoopAuditSink;
import org.portcullis.pool.Transport;
import org.portcullis.pool.UpstreamPools;
import org.portcullis.portal.NoPortal;
import org.portcullis.portal.PortalService;
import org.portcullis.signin.SignInServices;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * The process-wide state shared by all connections: the current config snapshot (swapped atomically on reload),
 * the upstream pools, the per-address connection counts, the clock and the audit sink (opened once at start: a
 * changed {@code audit.file} needs a restart, like a changed listener) and the local store when {@code storage} is
 * configured (opened and key-checked once at start, closed by {@code GatewayServer.close()}), and the access log
 * (opened once at start from {@code server.access_log}, likewise). Passed to the pipeline by constructor.
 */
public final class GatewayRuntime {
    private final AtomicReference<GatewaySnapshot> current;
    private final UpstreamPools pools;
    private final ConnectionCounter connections = new ConnectionCounter();
    // Stateless and thread-safe: one for the process, so its header-name sets are not rebuilt per connection.
    private final RequestAdmission admission = new RequestAdmission();
    private final Clock clock;
    private final Transport transport;
    private final AuditSink audit;
    private final EmbeddedDatabase storage;
    private final StorageExecutor storageThreads;
    private final RefusalLog refusals;
    private final AccessLog accessLog;
    private volatile SignInServices signIn;
    private volatile TunnelWatch tunnels;
    private volatile AdminEventRelay adminEvents;
    private volatile PortalService portal = NoPortal.INSTANCE;
    private volatile UpstreamIdentity upstreamIdentity = new UpstreamIdentity(null);

    /** A runtime without an audit trail. */
    public GatewayRuntime(GatewaySnapshot initial, UpstreamPools pools, Transport transport, Clock clock) {
        this(initial, pools, transport, clock, NoopAuditSink.INSTANCE);
    }

    public GatewayRuntime(GatewaySnapshot initial, UpstreamPools pools, Transport transport, Clock clock,
                          AuditSink audit) {
        this(initial, pools, transport, clock, audit, null, new StorageExecutor());
    }

    /**
     * @param storage        the open local store, or null when none is configured
     * @param storageThreads the threads every store call on the request path runs on (owned by the caller)
     */
    public GatewayRuntime(GatewaySnapshot initial, UpstreamPools pools, Transport transport, Clock clock,
                          AuditSink audit, EmbeddedDatabase storage, StorageExecutor storageThreads) {
        this(initial, pools, transport, clock, audit, storage, storageThreads, AccessLog.disabled());
    }

    /** @param accessLog the access log, opened at start (closed by {@code GatewayServer.close()}) */
    public GatewayRuntime(GatewaySnapshot initial, UpstreamPools pools, Transport transport, Clock clock,
                          AuditSink audit, EmbeddedDatabase storage, StorageExecutor storageThreads,
                          AccessLog accessLog) {
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.storage = storage;
        this.storageThreads = Objects.requireNonNull(storageThreads, "storageThreads");
        this.refusals = new RefusalLog(clock);
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.pools = pools;
        this.transport = transport;
        this.clock = clock;
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    public AuditSink audit() {
        return audit;
    }

    /** One line per request ({@code server.access_log}); {@link AccessLog#disabled()} when off. */
    public AccessLog accessLog() {
        return accessLog;
    }

    /** The local store (key already verified), when {@code storage} is configured. */
    public Optional<EmbeddedDatabase> storage() {
        return Optional.ofNullable(storage);
    }

    /** The threads the store's request-path work runs on (session lookups, sign-in steps). */
    public StorageExecutor storageThreads() {
        return storageThreads;
    }

    /** The rate-limited log of requests refused because something failed (store, identity, portal). */
    public RefusalLog refusals() {
        return refusals;
    }

    /** The sign-in machinery, when {@code storage} and {@code users} are configured. */
    public Optional<SignInServices> signIn() {
        return Optional.ofNullable(signIn);
    }

    /** What answers the gateway's own paths: the sign-in portal, or 404 pages when sign-in is not configured. */
    public PortalService portal() {
        return portal;
    }

    /** Sets identity headers and JWT assertions on forwarded requests. */
    public UpstreamIdentity upstreamIdentity() {
        return upstreamIdentity;
    }

    /** Installs the assertion signer; called once at start, before any listener is bound. */
    public void enableAssertions(UpstreamIdentity identity) {
        this.upstreamIdentity = Objects.requireNonNull(identity, "identity");
    }

    /** Installs the sign-in machinery and its portal; called once at start, before any listener is bound. */
    public void enableSignIn(SignInServices services, PortalService service) {
        this.signIn = Objects.requireNonNull(services, "services");
        this.portal = Objects.requireNonNull(service, "service");
        this.tunnels = new TunnelWatch(services, () -> services.sessions(snapshot().config()));
    }

    /** Moves admin commands recorded by command-line tools into the audit trail, when storage is configured. */
    public Optional<AdminEventRelay> adminEvents() {
        return Optional.ofNullable(adminEvents);
    }

    /** Installs the relay; called once at start. */
    public void enableAdminEvents(AdminEventRelay relay) {
        this.adminEvents = Objects.requireNonNull(relay, "relay");
    }

    /** Ends WebSocket tunnels whose session ended, when sign-in is configured. */
    public Optional<TunnelWatch> tunnels() {
        return Optional.ofNullable(tunnels);
    }

    public GatewaySnapshot snapshot() {
        return current.get();
    }

    /** Publishes a completely built snapshot; requests already admitted keep theirs. */
    public void publish(GatewaySnapshot next) {
        current.set(Objects.requireNonNull(next, "next"));
    }

    public UpstreamPools pools() {
        return pools;
    }

    public RequestAdmission admission() {
        return admission;
    }

    public ConnectionCounter connections() {
        return connections;
    }

    public Clock clock() {
        return clock;
    }

    public Transport transport() {
        return transport;
    }
}
