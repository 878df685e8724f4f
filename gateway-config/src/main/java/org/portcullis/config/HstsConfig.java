package org.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code server.hsts}: the {@code Strict-Transport-Security} header (RFC 6797) the gateway sends on responses of its
 * TLS listeners, never on plain-HTTP ones (RFC 6797 §7.2: a browser ignores it there, and sending it would only
 * suggest a protection that is not in place).
 *
 * @param maxAge            {@code max-age}: how long a browser refuses plain HTTP to the host (default one year)
 * @param includeSubdomains adds {@code includeSubDomains}; off by default, because it pins every name below the
 *                          host, including hosts the gateway does not serve
 * @param portal            on the portal's own responses (its pages, redirects and the callback), on by default: the
 *                          portal is https-only, so pinning it costs nothing and stops SSL-stripping of the sign-in
 * @param onProxied         on every response relayed from an upstream as well, off by default: it pins each
 *                          protected host to https, which an operator who still serves one of them over plain HTTP
 *                          must decide on; the gateway's header replaces the upstream's
 */
public record HstsConfig(Duration maxAge, boolean includeSubdomains, boolean portal, boolean onProxied) {
    public static final String HEADER = "Strict-Transport-Security";
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(365);
    public static final Duration MAX_MAX_AGE = Duration.ofDays(730);

    public HstsConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(MAX_MAX_AGE) > 0) {
            throw new IllegalArgumentException("HstsConfig: maxAge out of range");
        }
    }

    public static HstsConfig defaults() {
        return new HstsConfig(DEFAULT_MAX_AGE, false, true, false);
    }

    /** The header value, e.g. {@code max-age=31536000} or {@code max-age=31536000; includeSubDomains}. */
    public String headerValue() {
        return "max-age=" + maxAge.toSeconds() + (includeSubdomains ? "; includeSubDomains" : "");
    }
}
