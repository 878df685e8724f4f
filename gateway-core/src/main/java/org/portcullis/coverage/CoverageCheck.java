package org.portcullis.coverage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.portcullis.config.EntryPoint;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.ProtectedRef;
import org.portcullis.config.RouteConfig;

/**
 * The coverage of one config: its protected systems with their rules, and, when asked to try them from here, what
 * each entry point answered. The result is what {@code coverage check} prints and records.
 *
 * @param systems every protected system and its rules
 * @param probes  one result per entry point, in config order; empty when they were not tried
 * @param tried   whether the entry points were tried from here
 */
public record CoverageCheck(List<ProtectedSystem> systems, List<ProbeResult> probes, boolean tried) {
    /** The event name in the trail (an admin command recorded through the store). */
    public static final String COMMAND = "coverage.check";
    private static final int MAX_LISTED = 10;

    public CoverageCheck {
        systems = List.copyOf(systems);
        probes = List.copyOf(probes);
    }

    /**
     * @param probe how to try entry points from here, or null to only describe the rules
     */
    public static CoverageCheck run(GatewayConfig config, Instant now, EntryPointProbe probe) {
        Objects.requireNonNull(config, "config");
        List<ProtectedSystem> systems = ProtectedSystems.of(config, now);
        List<ProbeResult> probes = new ArrayList<>();
        if (probe != null) {
            String portal = config.portal() == null ? null : config.portal().origin();
            for (EntryPoint entryPoint : config.entryPoints()) {
                probes.add(probe.probe(entryPoint, hostHeader(config, entryPoint), path(config, entryPoint), portal));
            }
        }
        return new CoverageCheck(systems, probes, probe != null);
    }

    /** The entry points that answered around the gateway. */
    public List<ProbeResult> aroundTheGateway() {
        return probes.stream().filter(p -> p.verdict().aroundTheGateway()).toList();
    }

    /** The trail's secret-free summary: {@code entry_points=3 around_gateway=1: http://10.0.0.5:8080 (route ehr)}. */
    public String summary() {
        List<ProbeResult> around = aroundTheGateway();
        StringBuilder text = new StringBuilder("entry_points=").append(probes.size()).append(" around_gateway=")
                .append(around.size());
        for (int i = 0; i < around.size() && i < MAX_LISTED; i++) {
            ProbeResult result = around.get(i);
            text.append(i == 0 ? ": " : ", ").append(result.entryPoint()).append(" (")
                    .append(result.entryPoint().protectedBy()).append(')');
        }
        if (around.size() > MAX_LISTED) {
            text.append(", …");
        }
        return text.toString();
    }

    private static String hostHeader(GatewayConfig config, EntryPoint entryPoint) {
        RouteConfig route = route(config, entryPoint);
        if (route == null || route.host().isWildcard()) {
            return entryPoint.address().toString();
        }
        return route.host().pattern();
    }

    private static String path(GatewayConfig config, EntryPoint entryPoint) {
        RouteConfig route = route(config, entryPoint);
        return route == null ? "/" : route.pathPrefix();
    }

    private static RouteConfig route(GatewayConfig config, EntryPoint entryPoint) {
        if (entryPoint.protectedBy().kind() != ProtectedRef.Kind.ROUTE) {
            return null;
        }
        return config.routes().stream().filter(r -> r.name().equals(entryPoint.protectedBy().name())).findFirst()
                .orElse(null);
    }
}
