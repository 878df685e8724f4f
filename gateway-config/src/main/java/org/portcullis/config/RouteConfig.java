package org.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One protected upstream, chosen by canonical host and the longest matching path prefix.
 *
 * @param name              unique route name, used in logs and audit events
 * @param host              exact host or {@code *.example.org}
 * @param pathPrefix        canonical path prefix, always starting with '/'; "/" matches everything
 * @param upstream          {@code http://} or {@code https://} origin, with no path, query or user info
 * @param upstreamTimeout   time allowed for the upstream to start answering
 * @param maxBodyBytes      request body limit for this route, or null to use {@code limits.max_body_bytes}
 * @param caBundle          PEM CA bundle to verify an https upstream, or null for the JDK trust store
 * @param websocketOrigins  origins allowed to open WebSockets; empty means only the route's own host
 * @param identityHeaders   the header names that tell the upstream who the user is; null means
 *                          {@link IdentityHeaders#defaults()}
 * @param jwt               the signed JWT assertion sent to the upstream, or null when the route sends none
 * @param paths             how the upstream reads paths (route key {@code paths}): case-insensitive upstreams get
 *                          case-insensitive prefix and rule matching and refuse Windows path aliases
 * @param allowBodyOnGet    whether GET and HEAD requests may carry a body on this route (off by default: an
 *                          upstream that ignores such a body would read it as the next request)
 */
public record RouteConfig(
        String name,
        HostPattern host,
        String pathPrefix,
        URI upstream,
        Duration upstreamTimeout,
        Long maxBodyBytes,
        Path caBundle,
        List<String> websocketOrigins,
        IdentityHeaders identityHeaders,
        JwtAssertionConfig jwt,
        UpstreamPaths paths,
        boolean allowBodyOnGet) {

    public RouteConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
        websocketOrigins = List.copyOf(websocketOrigins);
        identityHeaders = identityHeaders == null ? IdentityHeaders.defaults() : identityHeaders;
        Objects.requireNonNull(paths, "paths");
    }

    /** A route with the defaults {@link UpstreamPaths#CASE_SENSITIVE} and {@code allow_body_on_get: false}. */
    public RouteConfig(String name, HostPattern host, String pathPrefix, URI upstream, Duration upstreamTimeout,
                       Long maxBodyBytes, Path caBundle, List<String> websocketOrigins,
                       IdentityHeaders identityHeaders, JwtAssertionConfig jwt) {
        this(name, host, pathPrefix, upstream, upstreamTimeout, maxBodyBytes, caBundle, websocketOrigins,
                identityHeaders, jwt, UpstreamPaths.CASE_SENSITIVE, false);
    }

    /** A route with the given paths and the default {@code allow_body_on_get: false}. */
    public RouteConfig(String name, HostPattern host, String pathPrefix, URI upstream, Duration upstreamTimeout,
                       Long maxBodyBytes, Path caBundle, List<String> websocketOrigins,
                       IdentityHeaders identityHeaders, JwtAssertionConfig jwt, UpstreamPaths paths) {
        this(name, host, pathPrefix, upstream, upstreamTimeout, maxBodyBytes, caBundle, websocketOrigins,
                identityHeaders, jwt, paths, false);
    }

    /** A route with the default {@link UpstreamPaths#CASE_SENSITIVE} paths. */
    public RouteConfig(String name, HostPattern host, String pathPrefix, URI upstream, Duration upstreamTimeout,
                       Long maxBodyBytes, Path caBundle, List<String> websocketOrigins,
                       IdentityHeaders identityHeaders, JwtAssertionConfig jwt, boolean allowBodyOnGet) {
        this(name, host, pathPrefix, upstream, upstreamTimeout, maxBodyBytes, caBundle, websocketOrigins,
                identityHeaders, jwt, UpstreamPaths.CASE_SENSITIVE, allowBodyOnGet);
    }

    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(30);

    public boolean upstreamIsTls() {
        return "https".equals(upstream.getScheme());
    }

    public int upstreamPort() {
        int port = upstream.getPort();
        return port != -1 ? port : upstreamIsTls() ? 443 : 80;
    }

    /** The effective body limit: this route's own, or the global one. */
    public long effectiveMaxBodyBytes(LimitsConfig limits) {
        return maxBodyBytes != null ? maxBodyBytes : limits.maxBodyBytes();
    }
}
