package org.portcullis.coverage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.ProtectedRef;
import org.portcullis.config.RemoteDesktopConfig;
import org.portcullis.config.TcpTargetConfig;

/**
 * The remote desktops ({@code remote_desktops:}) and TCP targets ({@code tcp_targets:}) of a config as protected
 * systems. Both always need two factors whatever the access rules say (their validators refuse anything weaker), so
 * each is one two-factor guard with the second factors it accepts, and never an exception.
 */
final class RemoteSystems implements ProtectedSystemSource {

    @Override
    public List<ProtectedSystem> systems(GatewayConfig config, Instant now) {
        List<ProtectedSystem> systems = new ArrayList<>();
        for (RemoteDesktopConfig desktop : config.remoteDesktops()) {
            systems.add(ProtectedSystem.alwaysTwoFactor(new ProtectedRef(ProtectedRef.Kind.DESKTOP, desktop.name()),
                    "rdp://" + desktop.address(), desktop.factors(), null));
        }
        for (TcpTargetConfig target : config.tcpTargets()) {
            systems.add(ProtectedSystem.alwaysTwoFactor(new ProtectedRef(ProtectedRef.Kind.TARGET, target.name()),
                    "tcp://" + target.address(), target.factors(), null));
        }
        return systems;
    }
}
