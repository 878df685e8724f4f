package org.portcullis.portal.guard;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.ingress.CanonicalRequest;

/**
 * The portal's origin ({@code portal.url}) in the exact form a browser serialises it (RFC 6454 §6.1): scheme and host
 * in lower case, the port only when it is not the scheme's default. {@link RequestOriginCheck} compares the
 * {@code Origin} header against {@link #serialized()} byte for byte, and {@link ReturnTargetPolicy} sends a refused
 * {@code rd} to {@link #home()}.
 *
 * <p>Only {@code https} is accepted, except {@code http://localhost[:port]} for local tests and the demo (the contract
 * of issue #4): browsers treat {@code http://localhost} as a secure context, so {@code __Host-} cookies still work
 * there, and no other host could be reached over plain http.
 *
 * @param scheme {@code https}, or {@code http} for {@code localhost} only
 * @param host   lower-case host name, without trailing dot
 * @param port   the effective port, explicit or the scheme's default
 */
public record PortalOrigin(String scheme, String host, int port) {

    public static final String HTTPS = "https";
    public static final String HTTP = "http";
    static final int HTTPS_DEFAULT_PORT = 443;
    static final int HTTP_DEFAULT_PORT = 80;
    private static final String LOCALHOST = "localhost";
    /** The portal config accepts {@code http://127.0.0.1} for local use as well, which browsers also treat as secure. */
    private static final String LOOPBACK = "127.0.0.1";
    private static final int MAX_PORT = 65535;

    public PortalOrigin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        if (!(scheme.equals(HTTPS) || (scheme.equals(HTTP) && (host.equals(LOCALHOST) || host.equals(LOOPBACK))))) {
            throw new IllegalArgumentException("PortalOrigin: https only (http only for localhost)");
        }
        if (host.isEmpty() || !host.equals(host.toLowerCase(Locale.ROOT)) || host.endsWith(".")
                || !ReturnTargetPolicy.isHostNameSyntax(host)) {
            throw new IllegalArgumentException("PortalOrigin: host must be a lower-case name without trailing dot");
        }
        if (port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException("PortalOrigin: port out of range");
        }
    }

    /**
     * The origin of {@code portal.url}: scheme, host and port; an empty path or {@code /} only, no user info, query
     * or fragment.
     */
    public static PortalOrigin of(URI url) {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme();
        String host = url.getHost();
        String path = url.getRawPath();
        if (scheme == null || host == null || url.getRawUserInfo() != null || url.getRawQuery() != null
                || url.getRawFragment() != null || !(path == null || path.isEmpty() || path.equals("/"))) {
            throw new IllegalArgumentException("PortalOrigin: portal.url must be scheme://host[:port][/]");
        }
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        int port = url.getPort() != -1 ? url.getPort() : defaultPort(lowerScheme);
        return new PortalOrigin(lowerScheme, host.toLowerCase(Locale.ROOT), port);
    }

    static int defaultPort(String scheme) {
        return scheme.equals(HTTP) ? HTTP_DEFAULT_PORT : HTTPS_DEFAULT_PORT;
    }

    /** {@code scheme://host} or {@code scheme://host:port}: the value a browser puts in {@code Origin}. */
    public String serialized() {
        return scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
    }

    /** The portal's account home, {@code /.portcullis/}: where every refused {@code rd} leads. */
    public ReturnTarget home() {
        return new ReturnTarget(scheme, host, port, PortalPaths.HOME, Optional.empty());
    }

    /** True when {@code request} is addressed to the portal's host and port. */
    public boolean isPortalHost(CanonicalRequest request) {
        return request.host().equals(host) && request.port() == port;
    }

    /** An absolute URL on the portal for {@code pathAndQuery}, which starts with '/'. */
    public String url(String pathAndQuery) {
        return serialized() + pathAndQuery;
    }
}
