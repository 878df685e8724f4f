package org.portcullis.admission;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Optional;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.ingress.OriginCheck;
import org.portcullis.ingress.RejectReason;
import org.portcullis.ingress.RequestCanonicalizer;
import org.portcullis.policy.AccessRequest;
import org.portcullis.policy.AuthState;
import org.portcullis.policy.Decision;
import org.portcullis.server.GatewaySnapshot;

/**
 * Admits or refuses one decoded request, in flow order: canonical request → route → route limits → policy. The
 * policy is asked about exactly the canonical request that will be forwarded. Any exception ends in a refusal
 * (SECURITY-RULES 10): there is no path from an error to {@link Admission.Forward}.
 *
 * <p>Until sessions exist every request is anonymous: {@code one_factor} and {@code two_factor} rules answer 401
 * and only {@code bypass} rules forward.
 */
public final class RequestAdmission {
    private final RequestCanonicalizer canonicalizer = new RequestCanonicalizer();

    public Admission admit(HttpRequest request, ConnectionInfo connection, GatewaySnapshot snapshot) {
        try {
            return decide(request, connection, snapshot);
        } catch (RuntimeException e) {
            return new Admission.Refuse(500, "INTERNAL_ERROR:" + e.getClass().getSimpleName(), null, null, null, true);
        }
    }

    private Admission decide(HttpRequest request, ConnectionInfo connection, GatewaySnapshot snapshot) {
        boolean bodyFollows = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        ConnectionInfo current = new ConnectionInfo(connection.peer(), connection.tls(), connection.listenerPort(),
                snapshot.config().server().trustedProxies());
        RequestCanonicalizer.Result result = canonicalizer.canonicalize(request, current);
        if (result instanceof RequestCanonicalizer.Result.Rejected rejected) {
            return refuse(rejected.rejection().reason(), null, null, bodyFollows);
        }
        CanonicalRequest canonical = ((RequestCanonicalizer.Result.Accepted) result).request();

        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
            return refuse(RejectReason.EXPECTATION_FAILED, canonical, null, bodyFollows);
        }
        Optional<RouteConfig> found = snapshot.router().route(canonical.host(), canonical.path());
        if (found.isEmpty()) {
            return refuse(RejectReason.NO_ROUTE, canonical, null, bodyFollows);
        }
        RouteConfig route = found.get();
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > route.effectiveMaxBodyBytes(snapshot.config().limits())) {
            return refuse(RejectReason.BODY_TOO_LARGE, canonical, route, true);
        }
        if (canonical.websocketUpgrade() && !new OriginCheck(route.websocketOrigins()).allows(canonical)) {
            return refuse(RejectReason.WEBSOCKET_ORIGIN_REFUSED, canonical, route, bodyFollows);
        }

        Decision decision = snapshot.policy().decide(
                new AccessRequest(canonical.method(), canonical.host(), canonical.path(), canonical.clientAddress()),
                AuthState.anonymous());
        if (decision instanceof Decision.Allow allow) {
            return new Admission.Forward(canonical, route, allow.rule(), snapshot);
        }
        if (decision instanceof Decision.Deny deny) {
            return new Admission.Refuse(403, "POLICY_DENY", canonical, route.name(), deny.rule(), bodyFollows);
        }
        if (decision instanceof Decision.Challenge challenge) {
            // No session can satisfy a challenge yet: fail closed with "sign-in required", never downgrade.
            return new Admission.Refuse(401, "SIGN_IN_REQUIRED", canonical, route.name(), challenge.rule(),
                    bodyFollows);
        }
        return new Admission.Refuse(403, "POLICY_UNKNOWN_DECISION", canonical, route.name(), null, true);
    }

    private static Admission refuse(RejectReason reason, CanonicalRequest canonical, RouteConfig route,
                                    boolean bodyFollows) {
        return new Admission.Refuse(reason.status(), reason.name(), canonical, route == null ? null : route.name(),
                null, reason.closesConnection() || bodyFollows);
    }
}
