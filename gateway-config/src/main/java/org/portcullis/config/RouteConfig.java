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
 * @param streamLimits      how long a WebSocket tunnel of this route may stay open (route keys
 *                          {@code max_stream_duration} and {@code stream_idle_timeout})
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
        boolean allowBodyOnGet,
        StreamLimits streamLimits) {

    public RouteConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
        websocketOrigins = List.copyOf(websocketOrigins);
        identityHeaders = identityHeaders == null ? IdentityHeaders.defaults() : identityHeaders;
        Objects.requireNonNull(paths, "paths");
        streamLimits = streamLimits == null ? StreamLimits.DEFAULT : streamLimits;
    }

    /**
     * The limits of one long-lived stream (a WebSocket tunnel), whatever its session does: a stream carries no
     * requests the gateway could check one by one, so it gets an absolute cap of its own.
     *
     * @param maxDuration the longest a stream stays open, from its opening (default {@link #DEFAULT_MAX_DURATION})
     * @param idleTimeout how long a stream may carry no bytes either way before it is closed; null: no limit of its
     *                    own (the session's idle timeout still applies)
     */
    public record StreamLimits(Duration maxDuration, Duration idleTimeout) {
        public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(8);
        public static final StreamLimits DEFAULT = new StreamLimits(DEFAULT_MAX_DURATION, null);

        public StreamLimits {
            Objects.requireNonNull(maxDuration, "maxDuration");
            if (maxDuration.isNegative() || maxDuration.isZero()
                    || (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero()))) {
                throw new IllegalArgumentException("StreamLimits: durations must be positive");
            }
        }
    }

    /** A route with every setting but the stream limits, which take their defaults. */
    public RouteConfig(String name, HostPattern host, String pathPrefix, URI upstream, Duration upstreamTimeout,
                       Long maxBodyBytes, Path caBundle, List<String> websocketOrigins,
                       IdentityHeaders identityHeaders, JwtAssertionConfig jwt, UpstreamPaths paths,
                       boolean allowBodyOnGet) {
        this(name, host, pathPrefix, upstream, upstreamTimeout, maxBodyBytes, caBundle, websocketOrigins,
                identityHeaders, jwt, paths, allowBodyOnGet, StreamLimits.DEFAULT);
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
