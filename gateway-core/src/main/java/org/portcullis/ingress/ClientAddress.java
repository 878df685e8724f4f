package org.portcullis.ingress;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The resolved client and the hops between it and the gateway.
 *
 * @param address the client: the socket peer, or the right-most untrusted X-Forwarded-For entry
 * @param chain   {@code address} first, then each trusted hop, ending with the socket peer; what the gateway sends as
 *                X-Forwarded-For
 * @param viaTrustedProxy true when the socket peer is a trusted proxy
 */
public record ClientAddress(InetAddress address, List<InetAddress> chain, boolean viaTrustedProxy) {
    public ClientAddress {
        Objects.requireNonNull(address, "address");
        chain = List.copyOf(chain);
    }
}
