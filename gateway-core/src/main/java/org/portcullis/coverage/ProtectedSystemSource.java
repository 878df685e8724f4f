package org.portcullis.coverage;

import java.time.Instant;
import java.util.List;
import org.portcullis.config.GatewayConfig;

/**
 * Lists one kind of protected system of a config. {@link ProtectedSystems} asks every source; a new kind of system
 * (remote desktops, TCP targets) is one more source. Systems that always need two factors build theirs with
 * {@link ProtectedSystem#alwaysTwoFactor}.
 */
public interface ProtectedSystemSource {
    /** The systems of this kind in {@code config}, with exception states as on {@code now}. */
    List<ProtectedSystem> systems(GatewayConfig config, Instant now);
}
