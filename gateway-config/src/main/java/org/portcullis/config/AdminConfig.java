package org.portcullis.config;

import java.util.Objects;

/**
 * {@code server.admin}: the admin listener with {@code /metrics} and {@code /health/*} (docs/operations.md). Plain
 * HTTP, no authentication: it answers nothing about users, addresses or secrets, and it belongs on loopback or a
 * management network, never on a public listener's address and port (refused by the validator).
 *
 * @param address where it listens; {@link #DEFAULT_ADDRESS} when the section is present without one
 */
public record AdminConfig(HostPort address) {
    /** Loopback, on the port Prometheus' own exporters conventionally leave for application metrics. */
    public static final HostPort DEFAULT_ADDRESS = new HostPort("127.0.0.1", 9464);

    public AdminConfig {
        Objects.requireNonNull(address, "address");
    }
}
