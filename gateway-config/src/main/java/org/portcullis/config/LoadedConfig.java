package org.portcullis.config;

import java.util.List;

/** A valid config and the warnings found while checking it (for example a rule shadowed by an earlier one). */
public record LoadedConfig(GatewayConfig config, List<ConfigProblem> warnings) {
    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
