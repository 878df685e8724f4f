package org.portcullis.portal;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.portcullis.ingress.CanonicalRequest;

/**
 * Where the portal lives ({@code portal.url}): scheme, host and port. Requests for this origin that no route serves
 * are the portal's; URLs the gateway sends browsers to are built from it.
 *
 * @param scheme {@code https}, or {@code http} for a loopback portal in tests and demos
 * @param host   canonical: lower case, no trailing dot
 * @param port   explicit or the scheme's default
 */
public record PortalOrigin(String scheme, String host, int port) {
    public PortalOrigin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
    }

    /** From a validated {@code portal.url}. */
    public static PortalOrigin of(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return new PortalOrigin(scheme, host, port);
    }

    public boolean isPortalHost(CanonicalRequest request) {
        return request.host().equals(host) && request.port() == port;
    }

    /** {@code scheme://host[:port]} with the port only when it is not the scheme's default (RFC 6454 serialisation). */
    public String origin() {
        boolean defaultPort = ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    /** An absolute URL on the portal for {@code pathAndQuery}, which starts with '/'. */
    public String url(String pathAndQuery) {
        return origin() + pathAndQuery;
    }
}
