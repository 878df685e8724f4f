package org.portcullis.coverage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.config.GatewayConfig;

/**
 * Every protected system of a config, from every {@link ProtectedSystemSource}: routes, then remote desktops
 * ({@code remote_desktops:}) and TCP targets ({@code tcp_targets:}), which always need two factors, so each is one
 * {@link ProtectedSystem#alwaysTwoFactor} and never an exception.
 */
public final class ProtectedSystems {
    static final List<ProtectedSystemSource> SOURCES = List.of(new RouteSystems(), new RemoteSystems());

    private ProtectedSystems() {
    }

    public static List<ProtectedSystem> of(GatewayConfig config, Instant now) {
        List<ProtectedSystem> systems = new ArrayList<>();
        for (ProtectedSystemSource source : SOURCES) {
            systems.addAll(source.systems(config, now));
        }
        return List.copyOf(systems);
    }
}
