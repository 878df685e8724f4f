package org.portcullis.pool;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.portcullis.config.RouteConfig;

/** Identifies interchangeable upstream connections: same origin, same TLS trust. Routes to one origin share a pool. */
public record UpstreamKey(String host, int port, boolean tls, Path caBundle) {
    public UpstreamKey {
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
    }

    public static UpstreamKey of(RouteConfig route) {
        String host = route.upstream().getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new UpstreamKey(host, route.upstreamPort(), route.upstreamIsTls(), route.caBundle());
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
