package org.portcullis.ingress;

import java.util.Objects;

/**
 * A canonical authority: {@code host} lower-case, without trailing dot and (for IPv6) without brackets in RFC 5952
 * form; {@code port} explicit or the scheme default.
 */
public record HostAndPort(String host, int port) {
    public HostAndPort {
        Objects.requireNonNull(host, "host");
    }
}
