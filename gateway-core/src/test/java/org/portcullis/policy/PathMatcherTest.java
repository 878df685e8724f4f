package org.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.config.PathPattern;

class PathMatcherTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // a literal pattern is a prefix on segment boundaries
                Arguments.of("/admin", "/admin", true),
                Arguments.of("/admin", "/admin/", true),
                Arguments.of("/admin", "/admin/users/7", true),
                Arguments.of("/admin", "/administrator", false),
                Arguments.of("/admin", "/adm", false),
                Arguments.of("/admin", "/", false),
                Arguments.of("/admin", "/x/admin", false),
                // paths are case-sensitive (RFC 3986 §6.2.2.1)
                Arguments.of("/admin", "/Admin", false),
                Arguments.of("/admin", "/ADMIN/x", false),
                // "/" matches every path
                Arguments.of("/", "/", true),
                Arguments.of("/", "/anything/at/all", true),
                // a trailing slash in the pattern changes nothing
                Arguments.of("/admin/", "/admin", true),
                Arguments.of("/admin/", "/admin/x", true),
                Arguments.of("/admin/", "/administrator", false),
                // multi-segment literals
                Arguments.of("/api/v1", "/api/v1/patients", true),
                Arguments.of("/api/v1", "/api/v10", false),
                Arguments.of("/api/v1", "/api", false),
                // * is exactly one non-empty segment
                Arguments.of("/api/*/status", "/api/v1/status", true),
                Arguments.of("/api/*/status", "/api/v1/status/deep", true),
                Arguments.of("/api/*/status", "/api/status", false),
                Arguments.of("/api/*/status", "/api/v1/v2/status", false),
                Arguments.of("/api/*", "/api", false),
                Arguments.of("/api/*", "/api/", false),
                Arguments.of("/api/*", "/api/x", true),
                Arguments.of("/*", "/", false),
                Arguments.of("/*", "/x", true),
                // ** is zero or more segments
                Arguments.of("/admin/**", "/admin", true),
                Arguments.of("/admin/**", "/admin/", true),
                Arguments.of("/admin/**", "/admin/a/b/c", true),
                Arguments.of("/admin/**", "/administrator", false),
                Arguments.of("/api/**/health", "/api/health", true),
                Arguments.of("/api/**/health", "/api/v1/health", true),
                Arguments.of("/api/**/health", "/api/v1/x/y/health", true),
                Arguments.of("/api/**/health", "/api/v1/x/y/health/detail", true),
                Arguments.of("/api/**/health", "/api/v1/healthz", false),
                Arguments.of("/api/**/health", "/api/v1", false),
                Arguments.of("/**", "/", true),
                Arguments.of("/**/secret", "/a/b/secret", true),
                Arguments.of("/**/secret", "/secret", true),
                Arguments.of("/**/secret", "/secrets", false),
                Arguments.of("/**/*/x", "/a/x", true),
                Arguments.of("/**/*/x", "/x", false),
                Arguments.of("/**/**/x", "/x", true),
                Arguments.of("/a/**/**/b/*", "/a/b/c", true),
                Arguments.of("/a/**/**/b/*", "/a/b", false),
                Arguments.of("/a/**/b/**/c", "/a/x/b/y/z/c/d", true),
                Arguments.of("/a/**/b/**/c", "/a/x/c/y/b", false),
                // a literal '*' inside a decoded path is just a character, never a wildcard on the path side
                Arguments.of("/files/*", "/files/*", true),
                Arguments.of("/files/a", "/files/*", false),
                // decoded characters that ingress allows compare literally
                Arguments.of("/docs/a b", "/docs/a b/x", true),
                Arguments.of("/docs/a b", "/docs/a%20b", false));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @MethodSource("table")
    void matchesCanonicalPathsSegmentWise(String pattern, String path, boolean expected) {
        PathMatcher matcher = PathMatcher.compile(new PathPattern(pattern));

        assertThat(matcher.matches(PathMatcher.segmentsOf(path))).isEqualTo(expected);
    }

    @Test
    void manyDoubleStarsAgainstALongClientPathStayLinear() {
        PathMatcher matcher = PathMatcher.compile(new PathPattern("/**/a/**/a/**/a/**/a/**/a/**/a/**/b"));
        String[] longPath = PathMatcher.segmentsOf("/a".repeat(4000));

        // backtracking would need about 4000^7 steps here; the simulation needs 4000 x 14
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThat(matcher.matches(longPath)).isFalse());
        assertThat(matcher.matches(PathMatcher.segmentsOf("/a".repeat(4000) + "/b"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "", "/admin//x", "/admin/../x", "/./admin", "/admin*", "/a*b", "/***", "/x/**y"})
    void refusesPatternsThatAreNotCanonicalOrUseWildcardsInsideSegments(String pattern) {
        assertThatThrownBy(() -> PathMatcher.compile(new PathPattern(pattern)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("path pattern '" + pattern + "' ");
    }
}
