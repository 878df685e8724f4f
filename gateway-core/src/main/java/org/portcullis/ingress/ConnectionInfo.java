package org.portcullis.ingress;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import org.portcullis.config.Cidr;

/**
 * What the gateway knows about the connection a request arrived on, independent of anything the client sent.
 *
 * @param peer           the socket peer (a resolved address, never a name)
 * @param tls            true when the connection to the gateway is TLS
 * @param listenerPort   the local port the request arrived on (for logs; the canonical port comes from Host)
 * @param trustedProxies peers whose X-Forwarded-For and X-Forwarded-Proto are believed (server.trusted_proxies)
 */
public record ConnectionInfo(InetSocketAddress peer, boolean tls, int listenerPort, List<Cidr> trustedProxies) {
    public ConnectionInfo {
        Objects.requireNonNull(peer, "peer");
        if (peer.getAddress() == null) {
            throw new IllegalArgumentException("ConnectionInfo: peer must be a resolved address");
        }
        trustedProxies = List.copyOf(trustedProxies);
    }
}
