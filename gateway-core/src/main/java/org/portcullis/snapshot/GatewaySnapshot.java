package org.portcullis.snapshot;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.HostPort;
import org.portcullis.config.ListenerConfig;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.RequestCanonicalizer;
import org.portcullis.ingress.ServedPorts;
import org.portcullis.policy.PolicyEngine;
import org.portcullis.pool.UpstreamPool;
import org.portcullis.pool.UpstreamPools;
import org.portcullis.portal.guard.PortalOrigin;
import org.portcullis.route.Router;
import org.portcullis.upstream.IdentityHeaderWriter;

/**
 * Everything a request needs from the configuration, built completely before it is published. A request takes the
 * snapshot that is current when its head arrives and keeps it to the end, so a reload never changes the rules under
 * a request in flight. Building fails (and a reload is refused) if any part cannot be built: a TLS key that does not
 * load, a CA bundle that does not parse.
 */
public final class GatewaySnapshot {
    private final GatewayConfig config;
    private final Router router;
    private final PolicyEngine policy;
    private final Map<HostPort, SslContext> listenerTls;
    private final Map<String, UpstreamPool> poolsByRoute;
    private final long largestBodyLimit;
    private final PortalSite portalSite;
    private final RequestCanonicalizer canonicalizer;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private GatewaySnapshot(GatewayConfig config, Router router, PolicyEngine policy,
                            Map<HostPort, SslContext> listenerTls, Map<String, UpstreamPool> poolsByRoute) {
        this.config = config;
        this.router = router;
        this.policy = policy;
        this.listenerTls = Map.copyOf(listenerTls);
        this.poolsByRoute = Map.copyOf(poolsByRoute);
        long largest = config.limits().maxBodyBytes();
        for (RouteConfig route : config.routes()) {
            largest = Math.max(largest, route.effectiveMaxBodyBytes(config.limits()));
        }
        this.largestBodyLimit = largest;
        this.portalSite = config.portal() == null ? null : PortalSite.of(config, RANDOM);
        // Every identity and JWT header name of every route is stripped on every route (SECURITY-RULES 6): one
        // upstream often serves several routes, and reads X-Employee-Id on all of them. Built per config, so a
        // reload that adds or removes a name changes what is stripped from the next request on.
        this.canonicalizer = new RequestCanonicalizer(IdentityHeaderWriter.configuredNames(config.routes()),
                servedPorts(config));
    }

    /**
     * The listeners' ports by scheme, plus the port of {@code portal.url} for its scheme: the operator declares that
     * browsers reach the gateway there (a port forward to another listener port is the usual reason).
     */
    static ServedPorts servedPorts(GatewayConfig config) {
        Set<Integer> tls = new HashSet<>();
        Set<Integer> plain = new HashSet<>();
        for (ListenerConfig listener : config.server().listeners()) {
            (listener.isTls() ? tls : plain).add(listener.address().port());
        }
        if (config.portal() != null) {
            PortalOrigin origin = PortalOrigin.of(config.portal().url());
            (PortalOrigin.HTTPS.equals(origin.scheme()) ? tls : plain).add(origin.port());
        }
        return new ServedPorts(tls, plain);
    }

    public static GatewaySnapshot build(GatewayConfig config, UpstreamPools pools, Clock clock) throws Exception {
        Map<HostPort, SslContext> tls = new HashMap<>();
        for (ListenerConfig listener : config.server().listeners()) {
            if (listener.isTls()) {
                SslProvider provider = TlsEngine.of(config.server().tlsProvider()).provider();
                tls.put(listener.address(), ServerTls.context(listener.tls(), provider));
            }
        }
        Map<String, UpstreamPool> byRoute = new HashMap<>();
        for (RouteConfig route : config.routes()) {
            byRoute.put(route.name(), pools.poolFor(route, config.limits().maxUpstreamConnections()));
        }
        return new GatewaySnapshot(config, new Router(config.routes()), new PolicyEngine(config.accessControl(), clock),
                tls, byRoute);
    }

    public GatewayConfig config() {
        return config;
    }

    /** The front door for this config: strips the identity header names of every configured route. */
    public RequestCanonicalizer canonicalizer() {
        return canonicalizer;
    }

    public Router router() {
        return router;
    }

    public PolicyEngine policy() {
        return policy;
    }

    public SslContext listenerTls(HostPort address) {
        return listenerTls.get(address);
    }

    public UpstreamPool pool(RouteConfig route) {
        UpstreamPool pool = poolsByRoute.get(route.name());
        if (pool == null) {
            throw new IllegalStateException("GatewaySnapshot: no pool for route " + route.name());
        }
        return pool;
    }

    /** The body limit the decoder enforces; routes with smaller limits are checked by the exchange. */
    public long largestBodyLimit() {
        return largestBodyLimit;
    }

    /** Where the portal lives, when {@code portal} is configured. */
    public Optional<PortalOrigin> portal() {
        return portalSite().map(PortalSite::origin);
    }

    /** The portal's origin, pages, {@code rd} rules and CSRF guard, when {@code portal} is configured. */
    public Optional<PortalSite> portalSite() {
        return Optional.ofNullable(portalSite);
    }

    public List<ListenerConfig> listeners() {
        return config.server().listeners();
    }
}
