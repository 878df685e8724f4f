package org.portcullis.admission;

import java.util.Optional;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.ingress.RejectReason;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * Stage 2: where the request goes. The reserved prefix belongs to the gateway on every host it serves and is never
 * forwarded, whatever routes say; otherwise the route for the canonical host and path; on the portal's host, a path
 * no route serves is the portal's. Anything else has no route (404).
 */
final class DestinationStage implements Stage {

    @Override
    public Step apply(AdmissionContext context) {
        CanonicalRequest canonical = context.canonical();
        GatewaySnapshot snapshot = context.snapshot();
        boolean protectedHost = snapshot.router().servesHost(canonical.host());
        boolean portalHost = snapshot.portal().map(p -> p.isPortalHost(canonical)).orElse(false);
        if (Admission.RemoteDesktop.isRdgMethod(canonical.method())) {
            Step rdg = remoteDesktop(context);
            if (rdg != null) {
                return rdg;
            }
        }
        if ((protectedHost || portalHost) && PortalPaths.isReserved(canonical.path())) {
            return new Step.Next(context.toPortal());
        }
        Optional<RouteConfig> route = snapshot.router().route(canonical.host(), canonical.path());
        if (route.isPresent()) {
            return new Step.Next(context.routedTo(route.get()));
        }
        if (portalHost) {
            return new Step.Next(context.toPortal());
        }
        return Refusals.of(RejectReason.NO_ROUTE, context);
    }

    /**
     * The RD Gateway endpoint (issue 16): RDG_OUT_DATA / RDG_IN_DATA on exactly {@link Admission.RemoteDesktop#PATH} of
     * the portal's host, when desktops are configured, without a body. RD clients name the gateway's host without a
     * port in {@code Host}, so the scheme's default port counts as the portal's (the listener already accepted it as
     * served). Anywhere else an RDG method goes on as any other method does (null), except a WebSocket upgrade with
     * it, which only this endpoint takes: elsewhere it stays the invalid upgrade it was before.
     */
    private static Step remoteDesktop(AdmissionContext context) {
        CanonicalRequest canonical = context.canonical();
        GatewaySnapshot snapshot = context.snapshot();
        boolean rdgHost = snapshot.portal().map(p -> p.host().equals(canonical.host()) && canonical.tls()
                && (canonical.port() == p.port() || canonical.port() == 443)).orElse(false);
        boolean endpoint = rdgHost && canonical.path().equals(Admission.RemoteDesktop.PATH)
                && (canonical.query() == null || canonical.query().isEmpty()) && !snapshot.config().remoteDesktops().isEmpty();
        if (!endpoint) {
            return canonical.websocketUpgrade() ? Refusals.of(RejectReason.INVALID_WEBSOCKET_UPGRADE, context) : null;
        }
        if (context.bodyFollows()
                || (canonical.websocketUpgrade() && !canonical.method().equals(Admission.RemoteDesktop.OUT_DATA))) {
            return Refusals.of(RejectReason.INVALID_WEBSOCKET_UPGRADE, context);
        }
        return new Step.Done(new Admission.RemoteDesktop(canonical, snapshot));
    }
}
