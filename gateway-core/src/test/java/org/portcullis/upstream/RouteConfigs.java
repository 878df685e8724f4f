package org.portcullis.upstream;

import java.net.URI;
import java.util.List;
import org.portcullis.config.HostPattern;
import org.portcullis.config.IdentityHeaders;
import org.portcullis.config.JwtAssertionConfig;
import org.portcullis.config.RouteConfig;

/** Routes for the upstream tests. */
final class RouteConfigs {
    private RouteConfigs() {
    }

    static RouteConfig route(String name, IdentityHeaders headers, JwtAssertionConfig jwt) {
        return new RouteConfig(name, new HostPattern(name + ".example.org"), "/", URI.create("http://127.0.0.1:8080"),
                RouteConfig.DEFAULT_UPSTREAM_TIMEOUT, null, null, List.of(), headers, jwt);
    }
}
