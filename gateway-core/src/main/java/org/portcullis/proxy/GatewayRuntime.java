package org.portcullis.proxy;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.portcullis.admission.AdmissionPipeline;
import org.portcullis.admission.IdentityStage;
import org.portcullis.admission.SessionStage;
import org.portcullis.audit.AdminEventRelay;
import org.portcullis.audit.AuditSink;
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
 * The running gateway's wiring, assembled once at start ({@code GatewayServer.start}) and never changed after: the
 * current config snapshot (the one thing that moves: swapped atomically on reload), the admission stages, the upstream
 * pools, the per-address connection counts, the clock, the audit sink and record journal, and, when {@code storage}
 * and {@code users} are configured, the store, the sign-in machinery and its portal. Each connection's handlers are
 * given what they use from here by constructor.
 */
public final class GatewayRuntime {
    private final AtomicReference<GatewaySnapshot> current;
    private final UpstreamPools pools;
    private final ConnectionCounter connections = new ConnectionCounter();
    private final Clock clock;
    private final Transport transport;
    private final AuditSink audit;
    private final EmbeddedDatabase storage;
    private final StorageExecutor storageThreads;
    private final SignInServices signIn;
    private final PortalService portal;
    private final TunnelWatch tunnels;
    private final AdminEventRelay adminEvents;
    private final AdmissionPipeline admission;
    private final RequestPath requestPath;

    /**
     * What sign-in adds to a gateway: its services, the portal that answers the gateway's own pages, and the identity
     * writer (with the JWT signer) for forwarded requests.
     */
    public record SignIn(SignInServices services, PortalService portal, UpstreamIdentity identity) {
        public SignIn {
            Objects.requireNonNull(services, "services");
            Objects.requireNonNull(portal, "portal");
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * @param storage        the open local store, or null when none is configured
     * @param storageThreads the threads every store call on the request path runs on (owned by the caller)
     * @param signIn         the sign-in machinery, or null when {@code storage} or {@code users} is not configured
     * @param adminEvents    the relay of admin commands into the audit trail, or null without a store
     */
    public GatewayRuntime(GatewaySnapshot initial, UpstreamPools pools, Transport transport, Clock clock,
                          AuditSink audit, EmbeddedDatabase storage, StorageExecutor storageThreads, SignIn signIn,
                          AdminEventRelay adminEvents) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.pools = Objects.requireNonNull(pools, "pools");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.storage = storage;
        this.storageThreads = Objects.requireNonNull(storageThreads, "storageThreads");
        this.adminEvents = adminEvents;
        if (signIn == null) {
            this.signIn = null;
            this.portal = NoPortal.INSTANCE;
            this.tunnels = null;
            this.admission = AdmissionPipeline.standard(new SessionStage(null, audit),
                    new IdentityStage(new UpstreamIdentity(null)));
        } else {
            SignInServices services = signIn.services();
            this.signIn = services;
            this.portal = signIn.portal();
            this.tunnels = new TunnelWatch(services, () -> services.sessions(snapshot().config()));
            this.admission = AdmissionPipeline.standard(
                    new SessionStage((cookie, config) -> services.resolver().resolve(cookie,
                            services.sessions(config)), audit),
                    new IdentityStage(signIn.identity()));
        }
        Optional<org.portcullis.remote.RdgGateway> remoteDesktops = Optional.ofNullable(this.signIn)
                .map(services -> new org.portcullis.remote.RdgGateway(services, this::snapshot, audit, clock));
        this.requestPath = new RequestPath(this::snapshot, admission, portal,
                new RequestJournal(audit, new RefusalLog(clock)), Optional.ofNullable(tunnels), remoteDesktops);
    }

    public AuditSink audit() {
        return audit;
    }

    /** The local store (key already verified), when {@code storage} is configured. */
    public Optional<EmbeddedDatabase> storage() {
        return Optional.ofNullable(storage);
    }

    /** The threads the store's request-path work runs on (session lookups, sign-in steps). */
    public StorageExecutor storageThreads() {
        return storageThreads;
    }

    /** The sign-in machinery, when {@code storage} and {@code users} are configured. */
    public Optional<SignInServices> signIn() {
        return Optional.ofNullable(signIn);
    }

    /** Moves admin commands recorded by command-line tools into the audit trail, when storage is configured. */
    public Optional<AdminEventRelay> adminEvents() {
        return Optional.ofNullable(adminEvents);
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

    public ConnectionCounter connections() {
        return connections;
    }

    public Clock clock() {
        return clock;
    }

    public Transport transport() {
        return transport;
    }

    /** What each client connection's handler is given: the stages, the portal, the journal, the tunnel watch. */
    public RequestPath requestPath() {
        return requestPath;
    }
}
