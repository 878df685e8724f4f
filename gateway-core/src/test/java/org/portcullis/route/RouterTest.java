package org.portcullis.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.config.HostPattern;
import org.portcullis.config.IdentityHeaders;
import org.portcullis.config.RouteConfig;
import org.portcullis.config.UpstreamPaths;

class RouterTest {
    static RouteConfig route(String name, String host, String prefix) {
        return new RouteConfig(name, new HostPattern(host), prefix, URI.create("http://10.0.0.1:8080"),
                RouteConfig.DEFAULT_UPSTREAM_TIMEOUT, null, null, List.of(), IdentityHeaders.defaults(), null);
    }

    static final Router ROUTER = new Router(List.of(
            route("wild", "*.example.org", "/"),
            route("deep-wild", "*.care.example.org", "/"),
            route("records", "records.example.org", "/"),
            route("records-api", "records.example.org", "/api"),
            route("records-api-v2", "records.example.org", "/api/v2/")));

    static Stream<Arguments> cases() {
        return Stream.of(
                // exact host beats the wildcard that also matches it
                Arguments.of("records.example.org", "/", "records"),
                // longest prefix wins on the same host
                Arguments.of("records.example.org", "/api/patients", "records-api"),
                Arguments.of("records.example.org", "/api", "records-api"),
                Arguments.of("records.example.org", "/api/v2/x", "records-api-v2"),
                // prefixes match on segment boundaries: /apiary is not under /api
                Arguments.of("records.example.org", "/apiary", "records"),
                // a prefix written with a trailing slash does not match the bare segment
                Arguments.of("records.example.org", "/api/v2", "records-api"),
                // the more specific wildcard wins
                Arguments.of("x.care.example.org", "/", "deep-wild"),
                Arguments.of("x.example.org", "/", "wild"),
                // a wildcard never matches its bare domain, and unknown hosts have no route
                Arguments.of("example.org", "/", null),
                Arguments.of("evil.test", "/", null));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void picksRoute(String host, String path, String expected) {
        Optional<RouteConfig> found = ROUTER.route(host, path);
        assertThat(found.map(RouteConfig::name).orElse(null)).isEqualTo(expected);
    }

    static RouteConfig windowsRoute(String name, String host, String prefix) {
        return new RouteConfig(name, new HostPattern(host), prefix, URI.create("http://10.0.0.2:8080"),
                RouteConfig.DEFAULT_UPSTREAM_TIMEOUT, null, null, List.of(), IdentityHeaders.defaults(), null,
                UpstreamPaths.CASE_INSENSITIVE);
    }

    /** A Windows (IIS) application under /App of a host whose other paths go to a case-sensitive upstream. */
    static final Router MIXED = new Router(List.of(
            route("root", "mixed.example.org", "/"),
            windowsRoute("app", "mixed.example.org", "/App"),
            windowsRoute("docs", "mixed.example.org", "/Docs/")));

    static Stream<Arguments> caseInsensitivePrefixes() {
        return Stream.of(
                // the prefix as written, and every case of it
                Arguments.of("/App", "app"),
                Arguments.of("/app/x", "app"),
                Arguments.of("/APP/Reports", "app"),
                // trailing dots and spaces, which Windows drops, still reach the Windows route (which refuses them)
                Arguments.of("/App./x", "app"),
                Arguments.of("/app . ./x", "app"),
                Arguments.of("/APP...", "app"),
                // still on segment boundaries
                Arguments.of("/application", "root"),
                Arguments.of("/apps/x", "root"),
                Arguments.of("/ap", "root"),
                // a prefix written with a trailing slash keeps its meaning, without case
                Arguments.of("/docs/a", "docs"),
                Arguments.of("/DOCS./a", "docs"),
                Arguments.of("/docs", "root"));
    }

    @ParameterizedTest
    @MethodSource("caseInsensitivePrefixes")
    void aCaseInsensitiveRouteMatchesItsPrefixTheWayWindowsReadsThePath(String path, String expected) {
        assertThat(MIXED.route("mixed.example.org", path).map(RouteConfig::name)).contains(expected);
    }

    @ParameterizedTest
    @MethodSource("caseInsensitivePrefixes")
    void aCaseSensitiveRouteStillMatchesItsPrefixExactly(String path, String ignored) {
        Router exact = new Router(List.of(route("root", "mixed.example.org", "/"),
                route("app", "mixed.example.org", "/App")));
        String expected = path.equals("/App") ? "app" : "root";
        assertThat(exact.route("mixed.example.org", path).map(RouteConfig::name)).contains(expected);
    }
}
