package org.portcullis.proxy;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.admission.AdmissionPipeline;
import org.portcullis.admission.IdentityStage;
import org.portcullis.admission.SessionStage;
import org.portcullis.audit.AdminEventRelay;
import org.portcullis.audit.AuditSink;
import org.portcullis.pool.Transport;
import org.portcullis.pool.UpstreamPools;
import org.portcullis.portal.NoPortal;
import org.portcullis.portal.PortalService;
import org.portcullis.remote.RdgGateway;
import org.portcullis.signin.RequestSessions;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.snapshot.CurrentSnapshot;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.storage.Database;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.tcp.TcpConnect;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * The running gateway's wiring, assembled once at start ({@code GatewayServer.start}) and never changed after: the
 * current config snapshot (the one thing that moves: swapped atomically on reload), the admission stages, the upstream
 * pools, the per-address connection counts, the clock, the audit sink, the access log (opened once at start from
 * {@code server.access_log}) and the record journal, and, when {@code storage}
 * and {@code users} are configured, the store, the sign-in machinery and its portal. Each connection's handlers are
 * given what they use from here by constructor.
 */
public final class GatewayRuntime {
    private final CurrentSnapshot current;
    private final UpstreamPools pools;
    private final ConnectionCounter connections = new ConnectionCounter();
    private final Clock clock;
    private final Transport transport;
    private final AuditSink audit;
    private final Database storage;
    private final StorageExecutor storageThreads;
    private final PortalService portal;
    private final TunnelWatch tunnels;
    private final AdminEventRelay adminEvents;
    private final AccessLog accessLog;
    private final AdmissionPipeline admission;
    private final RequestPath requestPath;

    /**
     * What sign-in adds to the request path: the session lookup, the watch that cuts tunnels when their session ends,
     * the portal that answers the gateway's own pages, the identity writer (with the JWT signer), the RD Gateway
     * endpoint and the tunnel endpoint of {@code portcullis connect} (either null: none).
     */
    public record SignIn(RequestSessions sessions, TunnelWatch tunnels, PortalService portal,
                         UpstreamIdentity identity, RdgGateway remoteDesktops, TcpConnect connect) {
        public SignIn {
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(tunnels, "tunnels");
            Objects.requireNonNull(portal, "portal");
            Objects.requireNonNull(identity, "identity");
        }

        /** Sign-in without the RD Gateway endpoint and the tunnel endpoint of {@code portcullis connect}. */
        public SignIn(RequestSessions sessions, TunnelWatch tunnels, PortalService portal, UpstreamIdentity identity) {
            this(sessions, tunnels, portal, identity, null, null);
        }
    }

    /**
     * @param current        the snapshot served now, swapped by reloads
     * @param accessLog      the access log, opened at start (closed by {@code GatewayServer.close()})
     * @param storage        the open local store, or null when none is configured
     * @param storageThreads the threads every store call on the request path runs on (owned by the caller)
     * @param signIn         the sign-in machinery, or null when {@code storage} or {@code users} is not configured
     * @param adminEvents    the relay of admin commands into the audit trail, or null without a store
     */
    public GatewayRuntime(CurrentSnapshot current, UpstreamPools pools, Transport transport, Clock clock,
                          AuditSink audit, AccessLog accessLog, Database storage,
                          StorageExecutor storageThreads, SignIn signIn, AdminEventRelay adminEvents) {
        this(current, pools, transport, clock, audit, accessLog, storage, storageThreads, signIn, adminEvents,
                RequestObserver.NONE);
    }

    /** Like the constructor above, with {@code requests} told of every request's start and end (metrics, drain). */
    public GatewayRuntime(CurrentSnapshot current, UpstreamPools pools, Transport transport, Clock clock,
                          AuditSink audit, AccessLog accessLog, Database storage,
                          StorageExecutor storageThreads, SignIn signIn, AdminEventRelay adminEvents,
                          RequestObserver requests) {
        this.current = Objects.requireNonNull(current, "current");
        this.pools = Objects.requireNonNull(pools, "pools");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.storage = storage;
        this.storageThreads = Objects.requireNonNull(storageThreads, "storageThreads");
        this.adminEvents = adminEvents;
        if (signIn == null) {
            this.portal = NoPortal.INSTANCE;
            this.tunnels = null;
            this.admission = AdmissionPipeline.standard(new SessionStage(null, audit),
                    new IdentityStage(new UpstreamIdentity(null)));
        } else {
            RequestSessions sessions = signIn.sessions();
            this.portal = signIn.portal();
            this.tunnels = signIn.tunnels();
            this.admission = AdmissionPipeline.standard(
                    new SessionStage((cookie, config) -> sessions.resolver().resolve(cookie,
                            sessions.sessions(config)), audit),
                    new IdentityStage(signIn.identity()));
        }
        Optional<RdgGateway> remoteDesktops = Optional.ofNullable(signIn).map(SignIn::remoteDesktops);
        this.requestPath = new RequestPath(this::snapshot, admission, portal,
                new RequestJournal(accessLog, audit, new RefusalLog(clock), requests), Optional.ofNullable(tunnels),
                remoteDesktops, Optional.ofNullable(signIn == null ? null : signIn.connect()));
    }

    public AuditSink audit() {
        return audit;
    }

    /** One line per request ({@code server.access_log}); {@link AccessLog#disabled()} when off. */
    public AccessLog accessLog() {
        return accessLog;
    }

    /** The local store (key already verified), when {@code storage} is configured. */
    public Optional<Database> storage() {
        return Optional.ofNullable(storage);
    }

    /** The threads the store's request-path work runs on (session lookups, sign-in steps). */
    public StorageExecutor storageThreads() {
        return storageThreads;
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
        current.publish(next);
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
