package org.portcullis.ingress;

import java.util.Objects;
import java.util.Set;

/**
 * The ports the gateway serves, per scheme: a request whose {@code Host} (or absolute-form target) names another port
 * is refused with {@link RejectReason#UNSERVED_PORT} (SECURITY-RULES 9), because the canonical authority, port
 * included, is forwarded as {@code Host} and {@code X-Forwarded-Host}, and upstreams build absolute links, redirects
 * and cache keys from it. A TLS listener's port serves {@code https} only and a plain listener's port {@code http}
 * only: {@code http://host:8443} to a TLS port is no origin of the gateway.
 *
 * <p>The scheme's default port (80 for http, 443 for https) always passes: it is the origin without a port, and
 * {@link CanonicalRequest#authority()} never forwards it, so a gateway behind a port forward or a TLS-terminating
 * proxy, where clients address the default port, keeps working.
 *
 * <p>A listener on port 0 (the system picks a free port when it binds, after the snapshot is built) makes every port
 * of its scheme served: the gateway cannot know the port it will get. Port 0 is for tests; production listeners name
 * their port.
 *
 * @param tls   ports that serve https: the TLS listeners' (and the portal's own, which the operator declares)
 * @param plain ports that serve http: the plain listeners'
 */
public record ServedPorts(Set<Integer> tls, Set<Integer> plain) {
    private static final int HTTP_DEFAULT = 80;
    private static final int HTTPS_DEFAULT = 443;
    private static final int ANY = 0;

    public ServedPorts {
        tls = Set.copyOf(Objects.requireNonNull(tls, "tls"));
        plain = Set.copyOf(Objects.requireNonNull(plain, "plain"));
    }

    /** True when a request of this scheme may name {@code port}. */
    public boolean serves(boolean https, int port) {
        if (port == (https ? HTTPS_DEFAULT : HTTP_DEFAULT)) {
            return true;
        }
        Set<Integer> served = https ? tls : plain;
        return served.contains(port) || served.contains(ANY);
    }
}
