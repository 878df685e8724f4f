package org.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code routes[].jwt}: the route's upstream also receives a signed JWT (ES256) that says who is calling, so it can
 * verify the caller instead of trusting a header. Written as {@code true} ({@link #defaults()}) or
 * {@code {header: …, lifetime: …}}; absent or {@code false}, {@code RouteConfig.jwt()} is null.
 *
 * @param header   the request header that carries the token; an RFC 9110 token that {@link HeaderNameRules} allows
 * @param lifetime {@code exp - iat}: from {@value #MIN_LIFETIME_SECONDS} s to {@value #MAX_LIFETIME_SECONDS} s. Short,
 *                 because the token is a bearer credential the upstream could replay elsewhere, and one is signed
 *                 per request anyway
 */
public record JwtAssertionConfig(String header, Duration lifetime) {
    public static final String DEFAULT_HEADER = "X-Portcullis-Assertion";
    public static final int MIN_LIFETIME_SECONDS = 5;
    public static final int MAX_LIFETIME_SECONDS = 60;
    public static final Duration MIN_LIFETIME = Duration.ofSeconds(MIN_LIFETIME_SECONDS);
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(MAX_LIFETIME_SECONDS);

    public JwtAssertionConfig {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("JwtAssertionConfig: lifetime must be 5s to 60s but is " + lifetime);
        }
    }

    /** {@code jwt: true}: the default header, a lifetime of 60 s. */
    public static JwtAssertionConfig defaults() {
        return new JwtAssertionConfig(DEFAULT_HEADER, MAX_LIFETIME);
    }
}
