package org.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code webauthn} (docs/webauthn.md). Every key is optional.
 *
 * <ul>
 *   <li>{@code rp_id} is a DNS name equal to the portal's host or a suffix of it at a dot (W3C WebAuthn §5.1.4.1:
 *       the RP ID must be a registrable domain suffix of the origin's host, or the browser refuses every
 *       ceremony); an IP address is never an RP ID.</li>
 *   <li>{@code origins} are exact origins ({@code https://HOST[:PORT]}, http only for localhost) whose hosts are
 *       within {@code rp_id}, for the same reason.</li>
 *   <li>{@code aaguids} are UUIDs and only allowed with {@code attestation: direct}: without an attestation
 *       statement the AAGUID is whatever the authenticator claims.</li>
 *   <li>{@code algorithms} names ES256, EdDSA or RS256, each at most once.</li>
 * </ul>
 * The section needs a {@code portal}: the relying party lives on it.
 */
final class WebAuthnValidator {
    static final String RP_ID = "rp_id";
    static final String RP_NAME = "rp_name";
    static final String ORIGINS = "origins";
    static final String ATTESTATION = "attestation";
    static final String AAGUIDS = "aaguids";
    static final String USER_VERIFICATION = "user_verification";
    static final String ALGORITHMS = "algorithms";
    static final String DISABLE_ON_CLONE = "disable_on_clone";
    static final String PASSWORDLESS = "passwordless";
    static final List<String> KEYS = List.of(RP_ID, RP_NAME, ORIGINS, ATTESTATION, AAGUIDS, USER_VERIFICATION,
            ALGORITHMS, DISABLE_ON_CLONE, PASSWORDLESS);

    /** Browsers show the name in a small dialog; anything longer is cut off there anyway. */
    static final int MAX_RP_NAME_LENGTH = 64;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int HTTPS_PORT = 443;

    private final NodeReader reader;

    WebAuthnValidator(NodeReader reader) {
        this.reader = reader;
    }

    /**
     * @param portal the validated portal, or empty when there is none (an error here) or it had errors (then the
     *               checks against its host are skipped: its own errors are reported already)
     */
    Optional<WebAuthnConfig> validate(YamlNode node, Optional<PortalConfig> portal, boolean portalPresent) {
        Optional<MappingView> mapping = reader.mapping(node, KEYS);
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        if (!portalPresent) {
            reader.problems().error(node, Messages.webauthnNeedsPortal());
        }
        MappingView view = mapping.get();
        int before = reader.problems().errorCount();
        WebAuthnConfig defaults = WebAuthnConfig.defaults();
        Optional<String> rpId = view.get(RP_ID).flatMap(n -> rpId(n, portal));
        Optional<String> rpName = view.get(RP_NAME).flatMap(this::rpName);
        String effectiveRpId = rpId.orElseGet(() -> portal.map(p -> p.url().getHost()).orElse(""));
        List<String> origins = view.get(ORIGINS).flatMap(n -> reader.listOf(n, o -> origin(o, effectiveRpId)))
                .orElse(List.of());
        WebAuthnConfig.Attestation attestation = view.get(ATTESTATION).flatMap(this::attestation)
                .orElse(defaults.attestation());
        Set<UUID> aaguids = view.get(AAGUIDS).flatMap(n -> aaguids(n, view.get(ATTESTATION).isPresent()
                ? attestation : null)).orElse(Set.of());
        WebAuthnConfig.UserVerification userVerification = view.get(USER_VERIFICATION)
                .flatMap(this::userVerification).orElse(defaults.userVerification());
        List<WebAuthnConfig.Algorithm> algorithms = view.get(ALGORITHMS).flatMap(this::algorithms)
                .orElse(defaults.algorithms());
        boolean disableOnClone = view.get(DISABLE_ON_CLONE).flatMap(reader::bool).orElse(defaults.disableOnClone());
        boolean passwordless = view.get(PASSWORDLESS).flatMap(reader::bool).orElse(defaults.passwordless());
        if (reader.problems().errorCount() != before || !portalPresent) {
            return Optional.empty();
        }
        return Optional.of(new WebAuthnConfig(rpId, rpName, origins, attestation, aaguids, userVerification,
                algorithms, disableOnClone, passwordless));
    }

    private Optional<String> rpId(YamlNode node, Optional<PortalConfig> portal) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String id = text.get().toLowerCase(Locale.ROOT);
        String shown = reader.show((YamlScalar) node);
        if (!HostSyntax.isDnsName(id)) {
            reader.problems().error(node, Messages.notRpId(shown));
            return Optional.empty();
        }
        if (portal.isPresent() && !within(portal.get().url().getHost(), id)) {
            reader.problems().error(node, Messages.rpIdNotPortalDomain(shown, portal.get().url().getHost()));
            return Optional.empty();
        }
        return Optional.of(id);
    }

    private Optional<String> rpName(YamlNode node) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String name = text.get();
        if (name.codePointCount(0, name.length()) > MAX_RP_NAME_LENGTH || name.isBlank()
                || name.chars().anyMatch(Character::isISOControl)) {
            reader.problems().error(node, Messages.notRpName(reader.show((YamlScalar) node), MAX_RP_NAME_LENGTH));
            return Optional.empty();
        }
        return Optional.of(name);
    }

    private Optional<String> origin(YamlNode node, String rpId) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String shown = reader.show((YamlScalar) node);
        Optional<URI> origin = parseOrigin(text.get());
        if (origin.isEmpty()) {
            reader.problems().error(node, Messages.notWebAuthnOrigin(shown));
            return Optional.empty();
        }
        if (!rpId.isEmpty() && !within(origin.get().getHost(), rpId)) {
            reader.problems().error(node, Messages.originOutsideRpId(shown, rpId));
            return Optional.empty();
        }
        return Optional.of(origin.get().toString());
    }

    /** {@code scheme://host[:port]} as a browser writes it in clientDataJSON: lower case, default port left out. */
    private static Optional<URI> parseOrigin(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals(UrlSyntax.HTTPS);
        boolean localHttp = scheme.equals(UrlSyntax.HTTP) && host.equals("localhost");
        if ((!https && !localHttp) || uri.isOpaque() || uri.getRawUserInfo() != null || !HostSyntax.isDnsName(host)
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getPort() == 0 || uri.getPort() > 65535) {
            return Optional.empty();
        }
        String port = uri.getPort() == -1 || (https && uri.getPort() == HTTPS_PORT) ? "" : ":" + uri.getPort();
        return Optional.of(URI.create(scheme + "://" + host + port));
    }

    /** True when {@code host} is {@code rpId} or ends with {@code "." + rpId}. */
    static boolean within(String host, String rpId) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals(rpId) || h.endsWith("." + rpId);
    }

    private Optional<WebAuthnConfig.Attestation> attestation(YamlNode node) {
        return reader.parsed(node, text -> {
            for (WebAuthnConfig.Attestation value : WebAuthnConfig.Attestation.values()) {
                if (value.yamlName().equals(text)) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }, Messages::notAttestation);
    }

    /** @param attestation the configured conveyance, or null when the key is absent (then it is none) */
    private Optional<Set<UUID>> aaguids(YamlNode node, WebAuthnConfig.Attestation attestation) {
        Optional<List<UUID>> list = reader.listOf(node, item -> reader.parsed(item,
                text -> UUID_TEXT.matcher(text).matches() ? Optional.of(UUID.fromString(text)) : Optional.empty(),
                Messages::notAaguid));
        if (list.isEmpty()) {
            return Optional.empty();
        }
        if (attestation != WebAuthnConfig.Attestation.DIRECT) {
            reader.problems().error(node, Messages.aaguidsNeedDirect());
            return Optional.empty();
        }
        return Optional.of(new LinkedHashSet<>(list.get()));
    }

    private Optional<WebAuthnConfig.UserVerification> userVerification(YamlNode node) {
        return reader.parsed(node, text -> {
            for (WebAuthnConfig.UserVerification value : WebAuthnConfig.UserVerification.values()) {
                if (value.yamlName().equals(text)) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }, Messages::notUserVerification);
    }

    private Optional<List<WebAuthnConfig.Algorithm>> algorithms(YamlNode node) {
        Optional<List<WebAuthnConfig.Algorithm>> list = reader.listOf(node, item -> reader.parsed(item, text -> {
            for (WebAuthnConfig.Algorithm value : WebAuthnConfig.Algorithm.values()) {
                if (value.yamlName().equalsIgnoreCase(text)) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }, Messages::notAlgorithm));
        if (list.isEmpty()) {
            return Optional.empty();
        }
        List<WebAuthnConfig.Algorithm> distinct = new ArrayList<>(new LinkedHashSet<>(list.get()));
        if (distinct.size() != list.get().size()) {
            reader.problems().error(node, Messages.duplicateAlgorithm());
            return Optional.empty();
        }
        return Optional.of(distinct);
    }
}
