package org.portcullis.admission;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.ingress.OriginCheck;
import org.portcullis.ingress.RejectReason;
import org.portcullis.ingress.RequestCanonicalizer;
import org.portcullis.policy.AccessRequest;
import org.portcullis.policy.Decision;
import org.portcullis.policy.DenyReason;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.session.CookieLookup;
import org.portcullis.session.SessionCookie;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * Admits or refuses one decoded request, in flow order: canonical request → destination (route or portal) → route
 * limits → [session] → policy. The policy is asked about exactly the canonical request that will be forwarded. Any
 * exception ends in a refusal (SECURITY-RULES 10): there is no path from an error to {@link Admission.Forward}.
 *
 * <p>Two steps, because the session lives in the store: {@link #admit} does everything that needs no session and
 * gives {@link Admission.Prepared}; the caller resolves the session (off the event loop) and calls {@link #decide}.
 */
public final class RequestAdmission {
    public Admission admit(HttpRequest request, ConnectionInfo connection, GatewaySnapshot snapshot) {
        try {
            return prepare(request, connection, snapshot);
        } catch (RuntimeException e) {
            return internalError(e);
        }
    }

    /** The decision for a prepared request, once its session is known. */
    public Admission decide(Admission.Prepared prepared, ResolvedSession session) {
        try {
            return decideNow(prepared, session);
        } catch (RuntimeException e) {
            return internalError(e);
        }
    }

    /**
     * The decision for a prepared request whose session could not be looked up (the store failed, was full or too
     * slow). The request carried a cookie, so it may be a signed-in user's: treating it as anonymous would send them
     * to sign in again (looking signed out) and treating it as signed in is impossible. It is refused with 503, with
     * one exception: a request a bypass rule would let through without any session is forwarded as such (the session
     * plays no part in it, and no identity reaches the upstream), so a store outage does not take public pages down
     * for everyone who still holds a cookie.
     */
    public Admission decideWithoutSession(Admission.Prepared prepared) {
        Admission.Refuse unavailable = new Admission.Refuse(503, SESSION_STORE_UNAVAILABLE, prepared.request(),
                prepared.portal() ? null : prepared.route().name(), null, prepared.bodyFollows());
        if (prepared.portal()) {
            return unavailable;
        }
        Admission anonymous = decide(prepared, ResolvedSession.without(ResolvedSession.Status.UNKNOWN));
        if (anonymous instanceof Admission.Forward forward && forward.bypass()) {
            return forward;
        }
        return unavailable;
    }

    /** The refusal code of a request whose session lookup failed. */
    public static final String SESSION_STORE_UNAVAILABLE = "SESSION_STORE_UNAVAILABLE";

    private Admission prepare(HttpRequest request, ConnectionInfo connection, GatewaySnapshot snapshot) {
        boolean bodyFollows = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        ConnectionInfo current = new ConnectionInfo(connection.peer(), connection.tls(), connection.listenerPort(),
                snapshot.config().server().trustedProxies());
        RequestCanonicalizer.Result result = snapshot.canonicalizer().canonicalize(request, current);
        if (result instanceof RequestCanonicalizer.Result.Rejected rejected) {
            return refuse(rejected.rejection().reason(), null, null, bodyFollows);
        }
        CanonicalRequest canonical = ((RequestCanonicalizer.Result.Accepted) result).request();

        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
            return refuse(RejectReason.EXPECTATION_FAILED, canonical, null, bodyFollows);
        }
        CookieLookup cookie = SessionCookie.find(canonical.headers().getAll(HttpHeaderNames.COOKIE));
        boolean protectedHost = snapshot.router().servesHost(canonical.host());
        boolean portalHost = snapshot.portal().map(p -> p.isPortalHost(canonical)).orElse(false);
        if ((protectedHost || portalHost) && PortalPaths.isReserved(canonical.path())) {
            // The reserved prefix belongs to the gateway on every host it serves: never forwarded, whatever routes say.
            return new Admission.Prepared(canonical, null, snapshot, cookie, bodyFollows);
        }
        Optional<RouteConfig> found = snapshot.router().route(canonical.host(), canonical.path());
        if (found.isEmpty()) {
            if (portalHost) {
                return new Admission.Prepared(canonical, null, snapshot, cookie, bodyFollows);
            }
            return refuse(RejectReason.NO_ROUTE, canonical, null, bodyFollows);
        }
        RouteConfig route = found.get();
        if (bodyFollows && isGetOrHead(canonical.method()) && !route.allowBodyOnGet()) {
            // An upstream that ignores framing on GET/HEAD would read the body as the next request (smuggling).
            return refuse(RejectReason.BODY_ON_GET_OR_HEAD, canonical, route, true);
        }
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > route.effectiveMaxBodyBytes(snapshot.config().limits())) {
            return refuse(RejectReason.BODY_TOO_LARGE, canonical, route, true);
        }
        if (canonical.websocketUpgrade() && !new OriginCheck(route.websocketOrigins()).allows(canonical)) {
            return refuse(RejectReason.WEBSOCKET_ORIGIN_REFUSED, canonical, route, bodyFollows);
        }
        return new Admission.Prepared(canonical, route, snapshot, cookie, bodyFollows);
    }

    private Admission decideNow(Admission.Prepared prepared, ResolvedSession session) {
        CanonicalRequest canonical = prepared.request();
        if (prepared.portal()) {
            return new Admission.Portal(canonical, prepared.snapshot(), session, prepared.bodyFollows());
        }
        RouteConfig route = prepared.route();
        Decision decision = prepared.snapshot().policy().decide(
                new AccessRequest(canonical.method(), canonical.host(), canonical.path(), canonical.clientAddress(),
                        route.paths()),
                session.authState());
        if (decision instanceof Decision.Allow allow) {
            stripGatewayCookies(canonical.headers());
            return new Admission.Forward(canonical, route, allow.rule(), prepared.snapshot(), session,
                    allow.isBypass());
        }
        if (decision instanceof Decision.Deny deny && deny.reason() == DenyReason.WINDOWS_PATH_ALIAS) {
            // Not a policy verdict but a path the upstream would misread: a bad request, as at ingress.
            return new Admission.Refuse(400, "WINDOWS_PATH_ALIAS", canonical, route.name(), deny.rule(),
                    prepared.bodyFollows());
        }
        if (decision instanceof Decision.Deny deny) {
            return new Admission.Refuse(403, "POLICY_DENY", canonical, route.name(), deny.rule(),
                    prepared.bodyFollows());
        }
        if (decision instanceof Decision.Challenge challenge) {
            return new Admission.Challenge(canonical, route, challenge.rule(), challenge.requirement(), session,
                    prepared.snapshot(), prepared.bodyFollows());
        }
        return new Admission.Refuse(403, "POLICY_UNKNOWN_DECISION", canonical, route.name(), null, true);
    }

    private static boolean isGetOrHead(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    /** No upstream ever sees the gateway's cookies (SECURITY-RULES 11); other cookies pass byte for byte. */
    static void stripGatewayCookies(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.COOKIE)) {
            return;
        }
        List<String> original = headers.getAll(HttpHeaderNames.COOKIE);
        List<String> kept = new ArrayList<>(original.size());
        for (String header : original) {
            SessionCookie.stripFromCookieHeader(header).ifPresent(kept::add);
        }
        if (kept.equals(original)) {
            return;
        }
        headers.remove(HttpHeaderNames.COOKIE);
        if (!kept.isEmpty()) {
            headers.add(HttpHeaderNames.COOKIE, kept);
        }
    }

    private static Admission internalError(RuntimeException e) {
        return new Admission.Refuse(500, "INTERNAL_ERROR:" + e.getClass().getSimpleName(), null, null, null, true);
    }

    private static Admission refuse(RejectReason reason, CanonicalRequest canonical, RouteConfig route,
                                    boolean bodyFollows) {
        return new Admission.Refuse(reason.status(), reason.name(), canonical, route == null ? null : route.name(),
                null, reason.closesConnection() || bodyFollows);
    }
}
