package org.portcullis.portal.page;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The response headers every portal page is sent with. Built once per config: the style hash depends on the branding
 * colour, the extra form origins on the protected hosts.
 *
 * <ul>
 *   <li>{@code Content-Security-Policy} (CSP Level 3): {@code default-src 'none'} so nothing loads that is not listed;
 *       styles only by the hash of the one stylesheet; images only from {@code data:} (the inlined logo); no script
 *       source at all, so an injected script never runs; {@code form-action 'self'} plus the protected origins, because
 *       browsers also check the targets of redirects after a form POST against it (the callback on each protected host
 *       follows the sign-in POST); {@code frame-ancestors 'none'} against clickjacking; {@code base-uri 'none'} so an
 *       injected {@code <base>} cannot move the forms' relative actions.</li>
 *   <li>{@code X-Frame-Options: DENY} (RFC 7034) for browsers without {@code frame-ancestors}.</li>
 *   <li>{@code Referrer-Policy: same-origin}: the {@code rd} in the login URL is nobody else's business, so no other
 *       origin gets a referrer. Not {@code no-referrer}: under it browsers send {@code Origin: null} even on the
 *       portal's own form POSTs (Fetch, "serializing a request origin"), which the origin check must refuse, so no
 *       one could sign in or out (found by the real-browser test, BrowserSignInTest).</li>
 *   <li>{@code Cache-Control: no-store} (RFC 9111 §5.2.2.5): pages hold CSRF tokens and names.</li>
 *   <li>{@code X-Content-Type-Options: nosniff} and an explicit {@code text/html; charset=utf-8}.</li>
 * </ul>
 */
public final class PortalHeaders {
    public static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
    public static final String X_FRAME_OPTIONS = "X-Frame-Options";
    public static final String REFERRER_POLICY = "Referrer-Policy";
    public static final String CACHE_CONTROL = "Cache-Control";
    public static final String X_CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String HTML_UTF8 = "text/html; charset=utf-8";

    /**
     * A CSP host-source with a scheme ({@code https://host[:port]}, {@code https://*.domain}, {@code http://[::1]:8080}):
     * nothing that could end the directive (';', ','), add a source (white space) or a keyword (quotes).
     */
    private static final Pattern ORIGIN = Pattern.compile(
            "https?://(?:(?:\\*\\.)?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\\[[0-9a-f:.]+\\])(?::[0-9]{1,5})?");

    /** One header line. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    private final String contentSecurityPolicy;
    private final List<Header> headers;

    private PortalHeaders(String contentSecurityPolicy) {
        this.contentSecurityPolicy = contentSecurityPolicy;
        this.headers = List.of(
                new Header(CONTENT_SECURITY_POLICY, contentSecurityPolicy),
                new Header(X_FRAME_OPTIONS, "DENY"),
                new Header(REFERRER_POLICY, "same-origin"),
                new Header(CACHE_CONTROL, "no-store"),
                new Header(X_CONTENT_TYPE_OPTIONS, "nosniff"),
                new Header(CONTENT_TYPE, HTML_UTF8));
    }

    /**
     * @param stylesheet        the stylesheet the pages inline
     * @param formActionOrigins origins a form may submit or redirect to besides the portal itself (the protected
     *                          hosts' origins, lower-case, as {@code scheme://host[:port]})
     * @throws IllegalArgumentException when an origin is not a plain host-source: it would be a CSP injection
     */
    public static PortalHeaders of(PortalStylesheet stylesheet, List<String> formActionOrigins) {
        Objects.requireNonNull(stylesheet, "stylesheet");
        Set<String> origins = new LinkedHashSet<>();
        for (String origin : formActionOrigins) {
            if (origin == null || !ORIGIN.matcher(origin).matches()) {
                throw new IllegalArgumentException("PortalHeaders: form action origin is not scheme://host[:port]");
            }
            origins.add(origin);
        }
        List<String> formAction = new ArrayList<>();
        formAction.add("'self'");
        formAction.addAll(origins);
        String csp = "default-src 'none'; style-src " + stylesheet.cspHashSource() + "; img-src data:; form-action "
                + String.join(" ", formAction) + "; frame-ancestors 'none'; base-uri 'none'";
        return new PortalHeaders(csp);
    }

    /**
     * The same headers for a page that runs the portal's own script ({@code /.portcullis/webauthn.js}):
     * {@code script-src 'self'} (no inline script, no other origin, no eval) and {@code connect-src 'self'} for its
     * calls to the portal's JSON endpoints. Every other page keeps no script source at all.
     */
    public PortalHeaders withOwnScript() {
        return new PortalHeaders(contentSecurityPolicy.replace("default-src 'none'; ",
                "default-src 'none'; script-src 'self'; connect-src 'self'; "));
    }

    /** Every header, in a fixed order. */
    public List<Header> headers() {
        return headers;
    }

    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** Sets every header on a Netty response, replacing any earlier value of the same name. */
    public void setOn(HttpHeaders target) {
        for (Header header : headers) {
            target.set(header.name(), header.value());
        }
    }
}
