package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a WebSocket upgrade may proceed given its {@code Origin} (RFC 6455 §10.2, SECURITY-RULES 5).
 * Browsers attach cookies to cross-site WebSocket handshakes and the same-origin policy does not apply to them, so
 * without this check any web page could open a socket with the user's session (Cross-Site WebSocket Hijacking).
 *
 * <ul>
 *   <li>Exactly one Origin field is required; a missing, repeated, {@code null} or malformed Origin is refused.</li>
 *   <li>Origins are compared canonically: scheme lower-case, host through {@link HostCanonicalizer}, default port
 *       made explicit. No path is allowed in an Origin.</li>
 *   <li>With a configured list ({@code websocket_origins} of the route) the origin must be in it; with an empty list
 *       it must be the request's own origin, {@code scheme://authority}.</li>
 * </ul>
 * Refusal: {@link RejectReason#WEBSOCKET_ORIGIN_REFUSED} (403).
 */
public final class OriginCheck {
    private final List<String> allowed;

    /**
     * @param allowedOrigins the route's {@code websocket_origins}, e.g. {@code https://app.example.org}
     * @throws IllegalArgumentException if an entry is not an http(s) origin (a config error)
     */
    public OriginCheck(List<String> allowedOrigins) {
        List<String> canonical = new ArrayList<>(allowedOrigins.size());
        for (String origin : allowedOrigins) {
            String key = canonicalOrigin(origin);
            if (key == null) {
                throw new IllegalArgumentException("not an http(s) origin without path");
            }
            canonical.add(key);
        }
        this.allowed = List.copyOf(canonical);
    }

    public boolean allows(CanonicalRequest request) {
        List<String> origins = request.headers().getAll(HttpHeaderNames.ORIGIN);
        if (origins.size() != 1) {
            return false;
        }
        String origin = canonicalOrigin(origins.get(0).trim());
        if (origin == null) {
            return false;
        }
        if (allowed.isEmpty()) {
            return origin.equals(request.scheme() + "://" + authorityWithPort(request.host(), request.port()));
        }
        return allowed.contains(origin);
    }

    public void rejectForeignOrigin(CanonicalRequest request) throws IngressRejection {
        if (!allows(request)) {
            throw new IngressRejection(RejectReason.WEBSOCKET_ORIGIN_REFUSED, "WebSocket Origin not allowed");
        }
    }

    /** {@code scheme://host:port} with an explicit port, or null when not an http(s) origin. */
    static String canonicalOrigin(String origin) {
        int separator = origin.indexOf("://");
        if (separator < 0) {
            return null;
        }
        String scheme = origin.substring(0, separator).toLowerCase(Locale.ROOT);
        int defaultPort;
        if (scheme.equals("http")) {
            defaultPort = 80;
        } else if (scheme.equals("https")) {
            defaultPort = 443;
        } else {
            return null;
        }
        String authority = origin.substring(separator + 3);
        if (authority.indexOf('/') >= 0 || authority.indexOf('?') >= 0 || authority.indexOf('#') >= 0) {
            return null;
        }
        try {
            HostAndPort hostAndPort = HostCanonicalizer.canonicalize(authority, defaultPort);
            return scheme + "://" + authorityWithPort(hostAndPort.host(), hostAndPort.port());
        } catch (IngressRejection e) {
            return null;
        }
    }

    private static String authorityWithPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
