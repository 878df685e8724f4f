package org.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Upstream URLs and WebSocket origins. An upstream is an origin only: a path would have to be joined with the
 * request path, and user info would put a credential in every log line that prints the URL.
 */
final class UrlSyntax {
    static final String HTTP = "http";
    static final String HTTPS = "https";

    private UrlSyntax() {
    }

    /** The normalised upstream ({@code scheme://host[:port]}, lower-case) or why the text is not one. */
    record Upstream(URI uri, String problem) {
    }

    static Upstream upstream(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return problem("not a URL");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!HTTP.equals(scheme) && !HTTPS.equals(scheme)) {
            return problem("the scheme must be http or https");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            return problem("it has no host");
        }
        if (uri.getRawUserInfo() != null) {
            return problem("user info is not allowed");
        }
        if (uri.getHost() == null || !HostSyntax.isHost(uri.getHost().toLowerCase(Locale.ROOT))) {
            return problem("the host is not a DNS name or IP address");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return problem("the port must be 1 to 65535");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            return problem("a path is not allowed");
        }
        if (uri.getRawQuery() != null) {
            return problem("a query is not allowed");
        }
        if (uri.getRawFragment() != null) {
            return problem("a fragment is not allowed");
        }
        return new Upstream(URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + portSuffix(uri)), null);
    }

    /**
     * A browser origin ({@code scheme://host[:port]}, RFC 6454), lower-case and without the scheme's default port,
     * which is how browsers send it in the {@code Origin} header.
     */
    static Optional<String> origin(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!HTTP.equals(scheme) && !HTTPS.equals(scheme)) || uri.isOpaque() || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                || uri.getPort() == 0 || uri.getPort() > 65535) {
            return Optional.empty();
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!HostSyntax.isHost(host)) {
            return Optional.empty();
        }
        int defaultPort = HTTPS.equals(scheme) ? 443 : 80;
        String port = uri.getPort() == -1 || uri.getPort() == defaultPort ? "" : ":" + uri.getPort();
        return Optional.of(scheme + "://" + host + port);
    }

    private static String portSuffix(URI uri) {
        return uri.getPort() == -1 ? "" : ":" + uri.getPort();
    }

    private static Upstream problem(String reason) {
        return new Upstream(null, reason);
    }
}
