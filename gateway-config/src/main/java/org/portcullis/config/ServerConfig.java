package org.portcullis.config;

import java.util.List;

/** Listeners and the peers trusted to set X-Forwarded-For / Forwarded. */
public record ServerConfig(List<ListenerConfig> listeners, List<Cidr> trustedProxies) {
    public ServerConfig {
        listeners = List.copyOf(listeners);
        trustedProxies = List.copyOf(trustedProxies);
    }
}
