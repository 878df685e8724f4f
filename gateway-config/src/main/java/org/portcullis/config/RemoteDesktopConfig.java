package org.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One remote desktop published through the gateway's RD Gateway endpoint (issue 16). It always needs a signed-in
 * session with a second factor (the validator refuses any weaker policy); {@code subjects} and {@code groups} say who
 * may open it (a user matching any of them).
 *
 * @param name        the desktop's name, shown in the portal and the audit trail
 * @param address     the RDP host and port the gateway connects to: the target comes only from here
 * @param portalHost  the portal host that publishes it (the host clients name as their gateway)
 * @param subjects    users and groups allowed (any of them)
 * @param factors     second factors that count (empty: any)
 * @param maxDuration how long one connection may last at most
 * @param idleTimeout how long a connection may carry nothing, or null for no idle limit beyond the session's
 * @param consent     the acceptable-use notice the client must accept, or null
 */
public record RemoteDesktopConfig(String name, HostPort address, String portalHost, List<Subject> subjects,
                                  Set<SecondFactor> factors, Duration maxDuration, Duration idleTimeout,
                                  String consent) {
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(8);

    public RemoteDesktopConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(portalHost, "portalHost");
        subjects = List.copyOf(subjects);
        factors = Set.copyOf(factors);
        maxDuration = maxDuration == null ? DEFAULT_MAX_DURATION : maxDuration;
    }

    /** Whether {@code user} in {@code groups} may open this desktop (names compare case-insensitively). */
    public boolean allows(String user, Set<String> groups) {
        return Subject.anyAllows(subjects, user, groups);
    }
}
