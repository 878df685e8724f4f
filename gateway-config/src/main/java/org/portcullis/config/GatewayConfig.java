package org.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole validated configuration. Built only by {@link ConfigLoader} after every check passed.
 *
 * @param source          the YAML file it was read from
 * @param referencedFiles every other file it read (certificates, keys, CA bundles, {@code ${file:…}} values), watched
 *                        for hot reload
 * @param audit           where the audit trail goes, or null when no audit file is configured
 */
public record GatewayConfig(
        Path source,
        List<Path> referencedFiles,
        ServerConfig server,
        LimitsConfig limits,
        List<RouteConfig> routes,
        Map<String, NetworkRef> networks,
        AccessControlConfig accessControl,
        AuditConfig audit) {

    public GatewayConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(accessControl, "accessControl");
        referencedFiles = List.copyOf(referencedFiles);
        routes = List.copyOf(routes);
        networks = Map.copyOf(networks);
    }
}
