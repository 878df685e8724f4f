package org.portcullis.admission;

import io.netty.handler.codec.http.HttpUtil;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.ingress.OriginCheck;
import org.portcullis.ingress.RejectReason;

/**
 * Stage 3: what the route allows before anyone's identity matters: a body on GET or HEAD only where the route says
 * so (an upstream that ignores framing there would read the body as the next request), a declared body within the
 * route's limit, a WebSocket upgrade only from the route's origins. The portal's own limits are its exchange's.
 */
final class RouteLimitsStage implements Stage {

    @Override
    public Step apply(AdmissionContext context) {
        RouteConfig route = context.route();
        if (context.destination() != AdmissionContext.Destination.ROUTE) {
            return new Step.Next(context);
        }
        CanonicalRequest canonical = context.canonical();
        if (context.bodyFollows() && isGetOrHead(canonical.method()) && !route.allowBodyOnGet()) {
            return Refusals.of(RejectReason.BODY_ON_GET_OR_HEAD, context);
        }
        long declared = HttpUtil.getContentLength(context.head(), -1L);
        if (declared > route.effectiveMaxBodyBytes(context.snapshot().config().limits())) {
            return Refusals.of(RejectReason.BODY_TOO_LARGE, context);
        }
        if (canonical.websocketUpgrade() && !new OriginCheck(route.websocketOrigins()).allows(canonical)) {
            return Refusals.of(RejectReason.WEBSOCKET_ORIGIN_REFUSED, context);
        }
        return new Step.Next(context);
    }

    private static boolean isGetOrHead(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }
}
