package org.portcullis.tcp;

import java.util.Optional;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.TcpTargetConfig;

/** The {@code tcp_targets} entries of a config, looked up by name: the only way a tunnel learns where it goes. */
public final class TcpTargets {
    private TcpTargets() {
    }

    /** The target called exactly {@code name} in {@code config}, if any. */
    public static Optional<TcpTargetConfig> named(GatewayConfig config, String name) {
        return config.tcpTargets().stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
