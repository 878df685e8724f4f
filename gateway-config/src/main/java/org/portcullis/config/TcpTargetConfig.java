package org.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One TCP service reachable through the gateway (issue 17): by the SSH jump host ({@code direct-tcpip}) and by
 * {@code portcullis connect}. It always needs a session with both factors (the validator refuses any weaker
 * {@code policy}); {@code subjects} say who may reach it (a user matching any of them). The gateway connects only to
 * {@code address}: a client names a target, it never chooses where the gateway connects.
 *
 * @param name        the target's name, unique; also accepted as the host a client asks for
 * @param address     the host and port the gateway connects to
 * @param subjects    users and groups allowed (any of them); never empty
 * @param factors     second factors that count (empty: any)
 * @param maxDuration how long one stream may last at most (default {@link #DEFAULT_MAX_DURATION})
 * @param idleTimeout how long a stream may carry no byte in either direction, or null for no limit beyond the
 *                    session's
 */
public record TcpTargetConfig(String name, HostPort address, List<Subject> subjects, Set<SecondFactor> factors,
                              Duration maxDuration, Duration idleTimeout) {
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(8);

    public TcpTargetConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        subjects = List.copyOf(subjects);
        factors = Set.copyOf(factors);
        maxDuration = maxDuration == null ? DEFAULT_MAX_DURATION : maxDuration;
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("TcpTargetConfig " + name + ": no subjects (nobody could reach it)");
        }
    }

    /** Whether {@code user} in {@code groups} may reach this target (names compare case-insensitively). */
    public boolean allows(String user, Set<String> groups) {
        return Subject.anyAllows(subjects, user, groups);
    }

    /** Whether a second factor of kind {@code factor} counts for this target. */
    public boolean accepts(SecondFactor factor) {
        return factors.isEmpty() || factors.contains(factor);
    }

    /**
     * The target a client asked for by {@code host} and {@code port}: the one whose address is exactly that (host
     * compared case-insensitively), else the one named {@code host} (the port is then ignored: the gateway connects
     * to the configured address). Null when none matches.
     */
    public static TcpTargetConfig find(List<TcpTargetConfig> targets, String host, int port) {
        String lowerHost = host.toLowerCase(Locale.ROOT);
        String bare = lowerHost.startsWith("[") && lowerHost.endsWith("]")
                ? lowerHost.substring(1, lowerHost.length() - 1) : lowerHost;
        for (TcpTargetConfig target : targets) {
            if (target.address().port() == port && target.address().host().equals(bare)) {
                return target;
            }
        }
        for (TcpTargetConfig target : targets) {
            if (target.name().equals(lowerHost)) {
                return target;
            }
        }
        return null;
    }
}
