package org.portcullis.config;

import java.util.Objects;

/**
 * One listening socket. {@code tls} is null for plain HTTP; plain HTTP on a non-loopback address needs
 * {@code allowPlainHttp} (for TLS-terminating load balancers).
 */
public record ListenerConfig(HostPort address, TlsConfig tls, boolean allowPlainHttp) {
    public ListenerConfig {
        Objects.requireNonNull(address, "address");
    }

    public boolean isTls() {
        return tls != null;
    }
}
