package org.portcullis.config;

import java.util.Objects;

/**
 * One address of a protected system as seen from outside ({@code entry_points}): where someone could reach the system
 * without the gateway if the network let them. {@code coverage check --from-here} tries each one.
 *
 * @param address   host and TCP port of the system itself (not of the gateway)
 * @param scheme    {@code http} or {@code https} for a web app (the check then also asks for a page), or null for a
 *                  plain TCP service (RDP, SSH, a database): the check only tries to connect
 * @param protectedBy the route, remote desktop or TCP target of the gateway that protects it
 */
public record EntryPoint(HostPort address, String scheme, ProtectedRef protectedBy) {
    public EntryPoint {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protectedBy, "protectedBy");
        if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("EntryPoint: scheme must be http or https");
        }
    }

    public boolean isHttp() {
        return scheme != null;
    }

    @Override
    public String toString() {
        return (scheme == null ? "" : scheme + "://") + address;
    }
}
