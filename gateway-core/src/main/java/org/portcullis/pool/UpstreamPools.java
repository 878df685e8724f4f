package org.portcullis.pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.portcullis.config.RouteConfig;

/**
 * All upstream pools of the process, keyed by origin and TLS trust. Pools outlive config reloads, so idle
 * keep-alive connections survive a reload that does not change the upstream.
 */
public final class UpstreamPools {
    private final Transport transport;
    private final Map<UpstreamKey, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final HeldUpstreams held = new HeldUpstreams();

    public UpstreamPools(Transport transport) {
        this.transport = transport;
    }

    /**
     * Creates the pool for a route if it does not exist yet. Called while a config snapshot is built, so a bad CA
     * bundle fails the load or reload instead of a request.
     */
    public UpstreamPool poolFor(RouteConfig route, int maxConnections) throws SSLException {
        UpstreamKey key = UpstreamKey.of(route);
        UpstreamPool existing = pools.get(key);
        if (existing != null) {
            return existing;
        }
        UpstreamTls tls = key.tls() ? new UpstreamTls(key.caBundle()) : null;
        return pools.computeIfAbsent(key, k -> new UpstreamPool(k, transport, tls, maxConnections, held));
    }

    /** The client connections holding a connection-bound upstream connection; told when sessions end. */
    public HeldUpstreams held() {
        return held;
    }

    /** Every pool made so far (for the metrics). */
    public java.util.Collection<UpstreamPool> all() {
        return java.util.List.copyOf(pools.values());
    }

    public void closeIdle() {
        pools.values().forEach(UpstreamPool::closeIdle);
    }
}
