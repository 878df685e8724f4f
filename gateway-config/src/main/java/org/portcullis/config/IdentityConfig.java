package org.portcullis.config;

import java.net.URI;
import java.security.interfaces.ECPrivateKey;

/**
 * {@code identity}: how the gateway signs the JWT assertions of routes with {@code jwt}. Absent from the config,
 * {@code GatewayConfig.identity()} is null and both defaults apply.
 *
 * @param issuer     the {@code iss} claim, or null for the default ({@link #issuer(IdentityConfig, URI)}): an
 *                   http(s) URL (RFC 7519 §4.1.1 StringOrURI) or a plain name of letters, digits, '.', '_' and '-'
 * @param signingKey the configured ES256 key (a P-256 key read by {@link SigningKeyPem}), or null: the gateway then
 *                   generates one once and keeps it, encrypted, in its store. Never printed by {@link #toString()}
 */
public record IdentityConfig(String issuer, ECPrivateKey signingKey) {

    /** The issuer when neither {@code identity.issuer} nor a portal URL is configured. */
    public static final String DEFAULT_ISSUER = "portcullis";

    /**
     * The {@code iss} to use: {@code identity.issuer} if set, else the portal URL if there is one, else
     * {@value #DEFAULT_ISSUER}.
     *
     * @param identity  the config's {@code identity} section, or null
     * @param portalUrl the config's {@code portal.url}, or null
     */
    public static String issuer(IdentityConfig identity, URI portalUrl) {
        if (identity != null && identity.issuer() != null) {
            return identity.issuer();
        }
        return portalUrl != null ? portalUrl.toString() : DEFAULT_ISSUER;
    }

    @Override
    public String toString() {
        return "IdentityConfig[issuer=" + issuer + ", signingKey=" + (signingKey == null ? "(generated)" : "(redacted)")
                + "]";
    }
}
