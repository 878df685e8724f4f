package org.portcullis.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code portal}: the one origin that serves sign-in, the second factor, the account page and sign-out, all under
 * the reserved path prefix {@code /.portcullis/}. Absent from the config ({@code GatewayConfig.portal() == null}),
 * there is no portal and nobody can sign in through the browser.
 *
 * @param url      the portal's origin, {@code scheme://host[:port]} without a trailing slash, lower-case, the
 *                 scheme's default port left out (how browsers write it in {@code Origin}, RFC 6454 §6.1): https,
 *                 or http on {@code localhost} / {@code 127.0.0.1} only
 * @param branding    never null; {@link PortalBranding#defaults()} when the config has no {@code branding}
 * @param helpContact {@code help_contact}: who a stuck user should contact (a service desk's phone number or
 *                    address), one line of at most {@value #MAX_HELP_CONTACT_LENGTH} characters; shown on the
 *                    lockout pages and on every error page the gateway answers itself. Empty when not configured
 */
public record PortalConfig(URI url, PortalBranding branding, Optional<String> helpContact) {
    public static final int MAX_HELP_CONTACT_LENGTH = 200;

    public PortalConfig {
        Objects.requireNonNull(url, "url");
        branding = branding == null ? PortalBranding.defaults() : branding;
        helpContact = helpContact == null ? Optional.empty() : helpContact;
    }

    /** A portal without a help contact. */
    public PortalConfig(URI url, PortalBranding branding) {
        this(url, branding, Optional.empty());
    }

    /** {@link #url()} as text, ready for a path to be appended ({@code origin() + "/.portcullis/login"}). */
    public String origin() {
        return url.toString();
    }
}
