package org.portcullis.admission;

import io.netty.handler.codec.http.HttpRequest;
import java.util.Objects;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.session.CookieLookup;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * What the stages know about one request so far. Each stage hands the next a copy with what it found; nothing in
 * it changes after it is made.
 *
 * @param requestId      the id joining the request's access-log line and audit events
 * @param head           the decoded request head, as the strict decoder produced it (read only for framing)
 * @param connection     the client connection it arrived on
 * @param snapshot       the config snapshot the whole request is decided under (a reload does not change it)
 * @param bodyFollows    true when a body follows the head
 * @param canonical      the canonical request, once {@link CanonicaliseStage} made it
 * @param cookie         the gateway's cookie on it, found with the canonical request
 * @param destination    where it goes, once {@link DestinationStage} decided
 * @param route          the route for {@link Destination#ROUTE}, else null
 * @param session        the caller's session, once {@link SessionStage} resolved it
 * @param sessionFailure why the session could not be resolved (the store failed), or null
 * @param rule           the rule that allowed it, once {@link PolicyStage} did
 * @param bypass         true when that rule is a bypass (no identity passes on)
 */
public record AdmissionContext(String requestId, HttpRequest head, ConnectionInfo connection,
                               GatewaySnapshot snapshot, boolean bodyFollows, CanonicalRequest canonical,
                               CookieLookup cookie, Destination destination, RouteConfig route,
                               ResolvedSession session, Throwable sessionFailure, String rule, boolean bypass) {

    /** Where an admitted request goes. */
    public enum Destination {
        /** A route's upstream, if the policy allows. */
        ROUTE,
        /** The gateway's own pages: the reserved prefix on every served host, or anything on the portal host. */
        PORTAL
    }

    public AdmissionContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(snapshot, "snapshot");
    }

    /** A request whose head was just decoded: nothing is known about it yet. */
    public static AdmissionContext start(String requestId, HttpRequest head, ConnectionInfo connection,
                                         GatewaySnapshot snapshot, boolean bodyFollows) {
        return new AdmissionContext(requestId, head, connection, snapshot, bodyFollows, null, null, null, null, null,
                null, null, false);
    }

    AdmissionContext canonicalised(CanonicalRequest request, CookieLookup found) {
        return new AdmissionContext(requestId, head, connection, snapshot, bodyFollows,
                Objects.requireNonNull(request, "request"), Objects.requireNonNull(found, "cookie"), null, null, null,
                null, null, false);
    }

    AdmissionContext routedTo(RouteConfig to) {
        return new AdmissionContext(requestId, head, connection, snapshot, bodyFollows, canonical, cookie,
                Destination.ROUTE, Objects.requireNonNull(to, "route"), null, null, null, false);
    }

    AdmissionContext toPortal() {
        return new AdmissionContext(requestId, head, connection, snapshot, bodyFollows, canonical, cookie,
                Destination.PORTAL, null, null, null, null, false);
    }

    AdmissionContext withSession(ResolvedSession resolved) {
        return new AdmissionContext(requestId, head, connection, snapshot, bodyFollows, canonical, cookie,
                destination, route, Objects.requireNonNull(resolved, "session"), null, null, false);
    }

    /**
     * The store did not answer: the caller counts as anonymous for the policy, and {@code failure} says why, so that
     * anything but a bypass is refused with 503 (never as anonymous, never as signed in).
     */
    AdmissionContext withoutSession(Throwable failure) {
        return new AdmissionContext(requestId, head, connection, snapshot, bodyFollows, canonical, cookie,
                destination, route, ResolvedSession.without(ResolvedSession.Status.UNKNOWN),
                failure == null ? new IllegalStateException("no session") : failure, null, false);
    }

    AdmissionContext allowedBy(String allowingRule, boolean isBypass) {
        return new AdmissionContext(requestId, head, connection, snapshot, bodyFollows, canonical, cookie,
                destination, route, session, sessionFailure, Objects.requireNonNull(allowingRule, "rule"), isBypass);
    }

    /** The route's name for the log, or null before routing and for the portal. */
    String routeName() {
        return route == null ? null : route.name();
    }
}
