package org.portcullis.proxy;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.portcullis.admission.Admission;
import org.portcullis.admission.AdmissionPipeline;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.policy.AccessRequest;
import org.portcullis.policy.AuthState;
import org.portcullis.policy.Decision;
import org.portcullis.portal.PortalService;
import org.portcullis.remote.RdgGateway;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.signin.StreamKind;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.tcp.TcpConnect;

/**
 * What a client connection's handler uses of the gateway, and nothing more: the current snapshot, the admission
 * stages, the portal, the journal that records each request, and the watch that ties WebSocket tunnels to sessions.
 *
 * @param tunnels the tunnel watch, empty on a gateway without sign-in (no tunnel has a session to follow)
 * @param remoteDesktops the RD Gateway endpoint, empty on a gateway without sign-in
 * @param connect the tunnel endpoint of {@code portcullis connect}, empty on a gateway without sign-in
 */
public record RequestPath(Supplier<GatewaySnapshot> snapshots, AdmissionPipeline admission, PortalService portal,
                   RequestJournal journal, Optional<TunnelWatch> tunnels, Optional<RdgGateway> remoteDesktops,
                   Optional<TcpConnect> connect) {
    public RequestPath {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(tunnels, "tunnels");
        Objects.requireNonNull(remoteDesktops, "remoteDesktops");
        Objects.requireNonNull(connect, "connect");
    }

    /** A request path without the RD Gateway endpoint and the tunnel endpoint of {@code portcullis connect}. */
    public RequestPath(Supplier<GatewaySnapshot> snapshots, AdmissionPipeline admission, PortalService portal,
                       RequestJournal journal, Optional<TunnelWatch> tunnels) {
        this(snapshots, admission, portal, journal, tunnels, Optional.empty(), Optional.empty());
    }

    /**
     * Registers a tunnel a signed-in session opened, so it is cut when the session ends or the policy no longer lets
     * it through (SECURITY-RULES 23); null for a tunnel no session opened (bypass), which has nothing to follow.
     */
    LiveStreams.Stream watch(Admission.Forward forward, Channel client, Channel upstream) {
        if (forward.bypass() || !forward.session().signedIn()) {
            return null;
        }
        return tunnels.map(w -> w.watch(opening(forward, w.clock().instant()), client, upstream)).orElse(null);
    }

    private LiveStreams.Opening opening(Admission.Forward forward, Instant now) {
        CanonicalRequest request = forward.request();
        ResolvedSession session = forward.session();
        RouteConfig.StreamLimits limits = forward.route().streamLimits();
        LiveStreams.Entry entry = new LiveStreams.Entry(session.id().hash(), session.user().username(),
                request.host() + request.path(), forward.route().name(), now, session.session().factors(),
                request.clientAddress().getHostAddress(), StreamKind.WEBSOCKET);
        // Only what the re-decision needs is kept: not the request or the snapshot it came with.
        String method = request.method();
        String host = request.host();
        String path = request.path();
        InetAddress source = request.clientAddress();
        String routeName = forward.route().name();
        return new LiveStreams.Opening(session.id(), entry, session.session().absoluteExpiry(), limits.maxDuration(),
                limits.idleTimeout(), state -> stillAllowed(method, host, path, source, routeName, state));
    }

    /**
     * Asks the policy of the snapshot served now about the tunnel's opening request, with the session's present state
     * (the user's groups and factors now): a route gone, or anything but an allow, ends the tunnel.
     */
    private boolean stillAllowed(String method, String host, String path, InetAddress source, String routeName,
                                 AuthState state) {
        GatewaySnapshot current = snapshots.get();
        Optional<RouteConfig> route = current.config().routes().stream()
                .filter(r -> r.name().equals(routeName)).findFirst();
        if (route.isEmpty()) {
            return false;
        }
        Decision decision = current.policy().decide(
                new AccessRequest(method, host, path, source, route.get().paths()), state);
        return decision instanceof Decision.Allow;
    }
}
