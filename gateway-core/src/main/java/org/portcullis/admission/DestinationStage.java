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
}
