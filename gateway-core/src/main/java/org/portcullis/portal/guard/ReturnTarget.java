package org.portcullis.portal.guard;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the browser goes after sign-in: an {@code rd} value that {@link ReturnTargetPolicy} accepted, or the portal's
 * home. Every field has already been validated; nothing here needs escaping again before it goes into a
 * {@code Location} header, because path and query are printable ASCII without spaces, '\' or '#'.
 *
 * @param scheme the portal's scheme ({@code https}; {@code http} only for a localhost portal)
 * @param host   lower-case host, a configured protected host or the portal host
 * @param port   effective port (explicit or the scheme default)
 * @param path   starts with exactly one '/', still percent-encoded as the original URL had it
 * @param query  the text after '?', still percent-encoded; empty when there was no '?'
 */
public record ReturnTarget(String scheme, String host, int port, String path, Optional<String> query) {

    public ReturnTarget {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        if (!path.startsWith("/") || path.startsWith("//")) {
            throw new IllegalArgumentException("ReturnTarget: path must start with exactly one '/'");
        }
    }

    /** {@code scheme://host} plus {@code :port} when it is not the default: where the callback goes. */
    public String origin() {
        return scheme + "://" + host + (port == PortalOrigin.defaultPort(scheme) ? "" : ":" + port);
    }

    /** The path and, if present, {@code ?query}: what the callback on {@link #host()} redirects to. */
    public String pathAndQuery() {
        return query.map(q -> path + "?" + q).orElse(path);
    }

    /** The absolute URL, for a {@code Location} header. */
    public String toUrl() {
        return origin() + pathAndQuery();
    }
}
