package org.portcullis.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.portcullis.config.YamlNode.YamlMap;
import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks a route's {@code identity_headers} and {@code jwt} (see {@link IdentityHeaders} and
 * {@link JwtAssertionConfig}): every name is an RFC 9110 token that {@link HeaderNameRules} allows, no name is used
 * twice in the route in any spelling (the JWT header included), the lifetime is 5 s to 60 s, and a route with
 * {@code jwt} has a key to sign with: {@code identity.signing_key}, or a store to keep a generated one in.
 */
final class RouteIdentityValidator {
    static final String REMOTE = "remote";
    static final String X_FORWARDED = "x_forwarded";
    static final String NONE = "none";
    static final String USER = "user";
    static final String GROUPS = "groups";
    static final String NAME = "name";
    static final String EMAIL = "email";
    static final List<String> HEADER_KEYS = List.of(USER, GROUPS, NAME, EMAIL);
    static final String HEADER = "header";
    static final String LIFETIME = "lifetime";
    static final List<String> JWT_KEYS = List.of(HEADER, LIFETIME);
    private static final String TRUE = "true";
    private static final String FALSE = "false";

    private final NodeReader reader;
    private final boolean signingKeyAvailable;

    /** @param signingKeyAvailable whether {@code identity.signing_key} or {@code storage} is configured */
    RouteIdentityValidator(NodeReader reader, boolean signingKeyAvailable) {
        this.reader = reader;
        this.signingKeyAvailable = signingKeyAvailable;
    }

    /** The names the route sets, for the duplicate check against the JWT header. */
    record NamedHeaders(IdentityHeaders headers, Map<String, String> pathByName) {
    }

    Optional<NamedHeaders> identityHeaders(YamlNode node) {
        if (node instanceof YamlMap) {
            return headerMapping(node);
        }
        Optional<YamlScalar> scalar = reader.scalar(node, "a string or a mapping");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        IdentityHeaders headers;
        switch (scalar.get().text()) {
            case REMOTE:
                headers = IdentityHeaders.REMOTE;
                break;
            case X_FORWARDED:
                headers = IdentityHeaders.X_FORWARDED;
                break;
            case NONE:
                headers = IdentityHeaders.NONE;
                break;
            default:
                reader.problems().error(node, Messages.notIdentityHeaders(reader.show(scalar.get())));
                return Optional.empty();
        }
        return Optional.of(named(headers, node.path()));
    }

    /** The defaults of a route without {@code identity_headers}; {@code path} is where the key would be. */
    NamedHeaders defaultHeaders(String path) {
        return named(IdentityHeaders.defaults(), path);
    }

    private static NamedHeaders named(IdentityHeaders headers, String path) {
        Map<String, String> paths = new HashMap<>();
        headers.names().forEach(n -> paths.put(HeaderNameRules.normalize(n), path));
        return new NamedHeaders(headers, paths);
    }

    private Optional<NamedHeaders> headerMapping(YamlNode node) {
        MappingView view = reader.mapping(node, HEADER_KEYS).orElseThrow();
        if (view.node().entries().isEmpty()) {
            reader.problems().error(node, Messages.noIdentityHeaderKeys());
            return Optional.empty();
        }
        int before = reader.problems().errorCount();
        Map<String, String> paths = new HashMap<>();
        Optional<String> user = view.get(USER).flatMap(n -> headerName(n, paths));
        Optional<String> groups = view.get(GROUPS).flatMap(n -> headerName(n, paths));
        Optional<String> name = view.get(NAME).flatMap(n -> headerName(n, paths));
        Optional<String> email = view.get(EMAIL).flatMap(n -> headerName(n, paths));
        if (reader.problems().errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new NamedHeaders(new IdentityHeaders(user, groups, name, email), paths));
    }

    /**
     * {@code jwt}: empty when it is {@code false}, absent from the result's inner optional; the outer optional is
     * empty on error.
     *
     * @param usedNames normalised names the route's identity headers already use, with their paths
     */
    Optional<Optional<JwtAssertionConfig>> jwt(YamlNode node, Map<String, String> usedNames) {
        Optional<JwtAssertionConfig> jwt;
        if (node instanceof YamlMap) {
            MappingView view = reader.mapping(node, JWT_KEYS).orElseThrow();
            int before = reader.problems().errorCount();
            Map<String, String> paths = new HashMap<>(usedNames);
            String header = view.get(HEADER).flatMap(n -> headerName(n, paths))
                    .orElse(JwtAssertionConfig.DEFAULT_HEADER);
            Duration lifetime = view.get(LIFETIME).flatMap(this::lifetime).orElse(JwtAssertionConfig.MAX_LIFETIME);
            if (!view.has(HEADER)) {
                rejectUsedDefaultHeader(node, usedNames);
            }
            if (reader.problems().errorCount() != before) {
                return Optional.empty();
            }
            jwt = Optional.of(new JwtAssertionConfig(header, lifetime));
        } else {
            Optional<YamlScalar> scalar = reader.scalar(node, "a boolean or a mapping");
            if (scalar.isEmpty()) {
                return Optional.empty();
            }
            if (TRUE.equals(scalar.get().text())) {
                if (!rejectUsedDefaultHeader(node, usedNames)) {
                    return Optional.empty();
                }
                jwt = Optional.of(JwtAssertionConfig.defaults());
            } else if (FALSE.equals(scalar.get().text())) {
                return Optional.of(Optional.empty());
            } else {
                reader.problems().error(node, Messages.notJwtSetting(reader.show(scalar.get())));
                return Optional.empty();
            }
        }
        if (!signingKeyAvailable) {
            reader.problems().error(node, Messages.jwtNeedsSigningKey());
            return Optional.empty();
        }
        return Optional.of(jwt);
    }

    /** A custom identity name may not take the default JWT header's name; false after reporting it. */
    private boolean rejectUsedDefaultHeader(YamlNode node, Map<String, String> usedNames) {
        String first = usedNames.get(HeaderNameRules.normalize(JwtAssertionConfig.DEFAULT_HEADER));
        if (first != null) {
            reader.problems().error(node, Messages.alreadyUsed("'" + JwtAssertionConfig.DEFAULT_HEADER + "'", first));
            return false;
        }
        return true;
    }

    private Optional<Duration> lifetime(YamlNode node) {
        return reader.duration(node).flatMap(d -> {
            if (d.compareTo(JwtAssertionConfig.MIN_LIFETIME) < 0 || d.compareTo(JwtAssertionConfig.MAX_LIFETIME) > 0) {
                reader.problems().error(node, Messages.outOfRange(reader.show((YamlScalar) node),
                        JwtAssertionConfig.MIN_LIFETIME_SECONDS + "s", JwtAssertionConfig.MAX_LIFETIME_SECONDS + "s"));
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }

    /** A token, not reserved, not used before in this route ({@code paths} records it). */
    private Optional<String> headerName(YamlNode node, Map<String, String> paths) {
        Optional<String> name = reader.parsed(node,
                n -> HeaderNameRules.isToken(n) ? Optional.of(n) : Optional.empty(), Messages::notHeaderName);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String shown = reader.show((YamlScalar) node);
        if (HeaderNameRules.isReserved(name.get())) {
            reader.problems().error(node, Messages.reservedHeaderName(shown));
            return Optional.empty();
        }
        String first = paths.putIfAbsent(HeaderNameRules.normalize(name.get()), node.path());
        if (first != null) {
            reader.problems().error(node, Messages.alreadyUsed(shown, first));
            return Optional.empty();
        }
        return name;
    }
}
