package org.portcullis.proxy;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.portcullis.admission.Admission;
import org.portcullis.admission.AdmissionPipeline;
import org.portcullis.portal.PortalService;
import org.portcullis.remote.RdgGateway;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * What a client connection's handler uses of the gateway, and nothing more: the current snapshot, the admission
 * stages, the portal, the journal that records each request, and the watch that ties WebSocket tunnels to sessions.
 *
 * @param tunnels the tunnel watch, empty on a gateway without sign-in (no tunnel has a session to follow)
 * @param remoteDesktops the RD Gateway endpoint, empty on a gateway without sign-in
 */
public record RequestPath(Supplier<GatewaySnapshot> snapshots, AdmissionPipeline admission, PortalService portal,
                   RequestJournal journal, Optional<TunnelWatch> tunnels, Optional<RdgGateway> remoteDesktops) {
    public RequestPath {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(tunnels, "tunnels");
        Objects.requireNonNull(remoteDesktops, "remoteDesktops");
    }

    /** A request path without the RD Gateway endpoint (no sign-in, hence no desktop tokens). */
    public RequestPath(Supplier<GatewaySnapshot> snapshots, AdmissionPipeline admission, PortalService portal,
                       RequestJournal journal, Optional<TunnelWatch> tunnels) {
        this(snapshots, admission, portal, journal, tunnels, Optional.empty());
    }

    /**
     * Registers a tunnel a signed-in session opened, so it is cut when the session ends (SECURITY-RULES 23); null
     * for a tunnel no session opened (bypass), which has nothing to follow.
     */
    LiveStreams.Stream watch(Admission.Forward forward, io.netty.channel.Channel client,
                             io.netty.channel.Channel upstream) {
        if (forward.bypass() || !forward.session().signedIn()) {
            return null;
        }
        return tunnels.map(w -> w.watch(forward.session().id(), forward.session().user().username(),
                forward.request().host() + forward.request().path(), forward.route().name(), client, upstream))
                .orElse(null);
    }
}
