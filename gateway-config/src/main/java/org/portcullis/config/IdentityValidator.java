package org.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.portcullis.config.YamlNode.YamlMap;
import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code identity}: {@code issuer} (optional) is an http(s) URL or a plain name, and {@code signing_key}
 * (optional, usually {@code ${file:…}}) parses as a PKCS#8 PEM P-256 private key ({@link SigningKeyPem}) now, so a
 * wrong file fails the load with its line rather than the first signed request. The key is never shown in a message,
 * not even when written inline.
 */
final class IdentityValidator {
    static final String ISSUER = "issuer";
    static final String SIGNING_KEY = "signing_key";
    static final List<String> KEYS = List.of(ISSUER, SIGNING_KEY);
    /** RFC 7519 §4.1.1: a StringOrURI without ':' is a plain string; this keeps it to a readable name. */
    private static final Pattern PLAIN_ISSUER = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final int MAX_ISSUER_CHARS = 2048;

    private final NodeReader reader;

    IdentityValidator(NodeReader reader) {
        this.reader = reader;
    }

    /** Whether the (unvalidated) section names a signing key; routes with {@code jwt} need one or a store. */
    static boolean namesSigningKey(Optional<YamlNode> section) {
        return section.filter(YamlMap.class::isInstance)
                .map(n -> ((YamlMap) n).entries().containsKey(SIGNING_KEY))
                .orElse(false);
    }

    Optional<IdentityConfig> validate(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        int before = reader.problems().errorCount();
        String issuer = view.get().get(ISSUER)
                .flatMap(n -> reader.parsed(n, IdentityValidator::issuer, Messages::notIssuer))
                .orElse(null);
        ECPrivateKey key = view.get().get(SIGNING_KEY).flatMap(this::signingKey).orElse(null);
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new IdentityConfig(issuer, key));
    }

    private Optional<ECPrivateKey> signingKey(YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        if (scalar.get().text().isBlank()) {
            reader.problems().error(node, Messages.emptyString());
            return Optional.empty();
        }
        try {
            return Optional.of(SigningKeyPem.parse(scalar.get().text()));
        } catch (SigningKeyPem.NotAKeyException e) {
            reader.problems().error(node,
                    Messages.notSigningKey(ValueDisplay.redacted(scalar.get().text()), e.getMessage()));
            return Optional.empty();
        }
    }

    static Optional<String> issuer(String text) {
        if (PLAIN_ISSUER.matcher(text).matches()) {
            return Optional.of(text);
        }
        if (text.length() > MAX_ISSUER_CHARS || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals(UrlSyntax.HTTPS) && !scheme.equals(UrlSyntax.HTTP)) || uri.isOpaque()
                || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            return Optional.empty();
        }
        return Optional.of(text);
    }
}
