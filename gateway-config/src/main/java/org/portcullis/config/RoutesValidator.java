package org.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.portcullis.config.YamlNode.YamlList;
import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code routes}: unique names, canonical hosts and path prefixes, origin-only http(s) upstreams, and no two
 * routes for the same host and prefix (the second could never be chosen). A route's {@code identity_headers} and
 * {@code jwt} are checked by {@link RouteIdentityValidator}.
 */
final class RoutesValidator {
    static final String NAME = "name";
    static final String HOST = "host";
    static final String PATH_PREFIX = "path_prefix";
    static final String UPSTREAM = "upstream";
    static final String UPSTREAM_TIMEOUT = "upstream_timeout";
    static final String MAX_BODY_BYTES = "max_body_bytes";
    static final String CA_BUNDLE = "ca_bundle";
    static final String WEBSOCKET_ORIGINS = "websocket_origins";
    static final String IDENTITY_HEADERS = "identity_headers";
    static final String JWT = "jwt";
    static final String PATHS = "paths";
    static final String ALLOW_BODY_ON_GET = "allow_body_on_get";
    static final String MAX_STREAM_DURATION = "max_stream_duration";
    static final String STREAM_IDLE_TIMEOUT = "stream_idle_timeout";
    static final List<String> KEYS = List.of(NAME, HOST, PATH_PREFIX, UPSTREAM, UPSTREAM_TIMEOUT, MAX_BODY_BYTES,
            CA_BUNDLE, WEBSOCKET_ORIGINS, IDENTITY_HEADERS, JWT, PATHS, ALLOW_BODY_ON_GET, MAX_STREAM_DURATION,
            STREAM_IDLE_TIMEOUT);
    static final String DEFAULT_PATH_PREFIX = "/";
    static final Pattern ROUTE_NAME = Pattern.compile("[a-z0-9_-]+");

    private final NodeReader reader;
    private final RouteIdentityValidator identity;

    /** @param signingKeyAvailable whether {@code identity.signing_key} or {@code storage} is configured */
    RoutesValidator(NodeReader reader, boolean signingKeyAvailable) {
        this.reader = reader;
        this.identity = new RouteIdentityValidator(reader, signingKeyAvailable);
    }

    Optional<List<RouteConfig>> validate(YamlNode node) {
        Optional<List<RouteConfig>> routes = reader.listOf(node, this::route);
        if (node instanceof YamlList list) {
            rejectDuplicateNames(list.items());
        }
        routes.ifPresent(r -> rejectOverlaps(r, ((YamlList) node).items()));
        return routes;
    }

    private Optional<RouteConfig> route(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView route = view.get();
        int before = reader.problems().errorCount();
        Optional<String> name = route.require(NAME)
                .flatMap(n -> reader.parsed(n, RoutesValidator::routeName, v -> Messages.notName(v, "route name")));
        Optional<HostPattern> host = route.require(HOST).flatMap(reader::hostPattern);
        Optional<String> pathPrefix = route.get(PATH_PREFIX).isPresent()
                ? route.get(PATH_PREFIX).flatMap(n -> reader.parsed(n,
                        p -> PathSyntax.isPathPrefix(p) ? Optional.of(p) : Optional.empty(), Messages::notPathPrefix))
                : Optional.of(DEFAULT_PATH_PREFIX);
        Optional<URI> upstream = route.require(UPSTREAM).flatMap(this::upstream);
        Duration timeout = route.get(UPSTREAM_TIMEOUT).flatMap(reader::duration)
                .orElse(RouteConfig.DEFAULT_UPSTREAM_TIMEOUT);
        Long maxBody = route.get(MAX_BODY_BYTES).flatMap(reader::byteSize).orElse(null);
        Path caBundle = route.get(CA_BUNDLE).flatMap(reader::readableFile).orElse(null);
        if (route.has(CA_BUNDLE) && upstream.isPresent() && !UrlSyntax.HTTPS.equals(upstream.get().getScheme())) {
            reader.problems().error(route.get(CA_BUNDLE).get(), Messages.caBundleNeedsHttps());
        }
        List<String> origins = route.get(WEBSOCKET_ORIGINS)
                .flatMap(n -> reader.listOf(n, o -> reader.parsed(o, UrlSyntax::origin, Messages::notOrigin)))
                .orElse(List.of());
        Optional<RouteIdentityValidator.NamedHeaders> headers = route.get(IDENTITY_HEADERS).isPresent()
                ? route.get(IDENTITY_HEADERS).flatMap(identity::identityHeaders)
                : Optional.of(identity.defaultHeaders(route.childPath(IDENTITY_HEADERS)));
        Map<String, String> usedNames = headers.map(RouteIdentityValidator.NamedHeaders::pathByName)
                .orElse(Map.of());
        Optional<Optional<JwtAssertionConfig>> jwt = route.get(JWT).isPresent()
                ? route.get(JWT).flatMap(n -> identity.jwt(n, usedNames))
                : Optional.of(Optional.empty());
        Optional<UpstreamPaths> paths = route.get(PATHS).isPresent()
                ? route.get(PATHS).flatMap(this::upstreamPaths)
                : Optional.of(UpstreamPaths.CASE_SENSITIVE);
        boolean allowBodyOnGet = route.get(ALLOW_BODY_ON_GET).flatMap(reader::bool).orElse(false);
        Duration maxStream = route.get(MAX_STREAM_DURATION).flatMap(reader::duration)
                .orElse(RouteConfig.StreamLimits.DEFAULT_MAX_DURATION);
        Duration streamIdle = route.get(STREAM_IDLE_TIMEOUT).flatMap(reader::duration).orElse(null);
        if (reader.problems().errorCount() != before || headers.isEmpty() || jwt.isEmpty() || paths.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RouteConfig(name.get(), host.get(), pathPrefix.get(), upstream.get(), timeout, maxBody,
                caBundle, origins, headers.get().headers(), jwt.get().orElse(null), paths.get(),
                allowBodyOnGet, new RouteConfig.StreamLimits(maxStream, streamIdle)));
    }

    private Optional<UpstreamPaths> upstreamPaths(YamlNode node) {
        return reader.parsed(node, p -> Arrays.stream(UpstreamPaths.values())
                .filter(k -> k.yamlName().equals(p)).findFirst(), Messages::notUpstreamPaths);
    }

    private Optional<URI> upstream(YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        if (scalar.get().text().isEmpty()) {
            reader.problems().error(node, Messages.emptyString());
            return Optional.empty();
        }
        UrlSyntax.Upstream upstream = UrlSyntax.upstream(scalar.get().text());
        if (upstream.problem() != null) {
            reader.problems().error(node, Messages.notUpstream(reader.show(scalar.get()), upstream.problem()));
            return Optional.empty();
        }
        return Optional.of(upstream.uri());
    }

    private static Optional<String> routeName(String name) {
        return ROUTE_NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }

    private void rejectDuplicateNames(List<YamlNode> routes) {
        Map<String, String> firstUse = new HashMap<>();
        for (YamlNode route : routes) {
            YamlNode nameNode = route instanceof YamlNode.YamlMap map && map.entries().containsKey(NAME)
                    ? map.entries().get(NAME).value() : null;
            if (nameNode instanceof YamlScalar scalar && routeName(scalar.text()).isPresent()) {
                String first = firstUse.putIfAbsent(scalar.text(), route.path());
                if (first != null) {
                    reader.problems().error(nameNode, Messages.alreadyUsed(reader.show(scalar), first));
                }
            }
        }
    }

    /** Routes are chosen by host and longest prefix; with equal host and prefix the second is unreachable. */
    private void rejectOverlaps(List<RouteConfig> routes, List<YamlNode> nodes) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig route = routes.get(i);
            String key = route.host().pattern() + " " + route.pathPrefix();
            int first = keys.indexOf(key);
            keys.add(key);
            if (first >= 0) {
                reader.problems().error(nodes.get(i), Messages.routeOverlap(route.name(), routes.get(first).name(),
                        nodes.get(first).path()));
            }
        }
    }
}
