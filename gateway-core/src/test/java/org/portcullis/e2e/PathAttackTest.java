package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Path canonicalisation through the whole gateway (SECURITY-RULES 1, 2; docs/request-handling.md §3). The policy
 * denies {@code /admin/**} and bypasses everything else, so an encoding trick that made the policy see another path
 * than the upstream would show up as an {@code /admin} request at the upstream. Every variant is either refused
 * (400) or decided on its canonical path and denied (403), and never recorded upstream; accepted paths reach the
 * upstream as exactly the canonical path, re-encoded, with the query as sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathAttackTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofMillis(50);

    static final String POLICY = """
            access_control:
              default_policy: bypass
              rules:
                - id: no-admin
                  paths: [/admin/**]
                  policy: deny
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.simpleConfig("", POLICY));

    /** Targets aimed at {@code /admin}; expected status; whether the connection closes (decoder-level refusal). */
    static Stream<Arguments> adminAttacks() {
        return Stream.of(
                // --- encoded slash: a segment boundary to one server, a name character to another
                refused("/public%2F..%2Fadmin"),
                refused("/public%2f..%2fadmin"),
                refused("/public/..%2Fadmin"),
                refused("/%2Fadmin"),
                // --- backslash: IIS reads it as '/'
                refused("/public%5C..%5Cadmin"),
                refused("/public%5c..%5cadmin"),
                refused("/public\\..\\admin"),
                refused("/public/..\\admin"),
                // --- control bytes, encoded (raw ones cannot be in a request line at all)
                refused("/admin%00"),
                refused("/admin%00.html"),
                refused("/public%00/../admin"),
                refused("/admin%0d%0aX-Injected:%20y"),
                refused("/admin%09"),
                refused("/admin%7F"),
                // --- double encoding: an upstream that decodes twice sees /admin
                refused("/%2561dmin"),
                refused("/public/%252e%252e/admin"),
                refused("/public%252F..%252Fadmin"),
                refused("/admin%25"),
                // --- path parameters: servlet containers strip ;params
                refused("/admin;jsessionid=0123"),
                refused("/public/..;/admin"),
                refused("/admin;/"),
                refused("/admin%3Bx"),
                refused("/admin%3bx"),
                // --- raw fragment
                refused("/admin#x"),
                refused("/public#/../admin"),
                // --- non-ASCII raw bytes: refused by the decoder, which closes
                closes("/admin\u00e9"),
                closes("/\u00c0\u00aeadmin"),
                closes("/public/\u00c0\u00ae\u00c0\u00ae/admin"),
                // --- overlong and other UTF-8, encoded
                refused("/public/%C0%AE%C0%AE/admin"),
                refused("/public%C0%AFadmin"),
                refused("/public/%E0%80%AE%E0%80%AE/admin"),
                refused("/%E2%80%AEnimda"),
                refused("/adm%C3%ADn"),
                // --- malformed percent-encoding (IIS %u, truncated, non-hex)
                refused("/public/%u002e%u002e/admin"),
                refused("/admin%"),
                refused("/admin%2"),
                refused("/%zzadmin"),
                refused("/%%32%65%%32%65/admin"),
                // --- climbing above the root is an attack, not clamped
                refused("/.."),
                refused("/../admin"),
                refused("/public/../../admin"),
                refused("/%2e%2e/admin"),
                refused("/%2E%2E/admin"),
                refused("/./../admin"),
                // --- resolved before matching: denied on the canonical path
                denied("/admin"),
                denied("/./admin"),
                denied("//admin"),
                denied("///admin//users"),
                denied("/public/../admin"),
                denied("/public/%2e%2e/admin"),
                denied("/public/%2E%2E/admin"),
                denied("/public/.%2e/admin"),
                denied("/public/%2e./admin"),
                denied("/%2e/admin"),
                denied("/%61dmin"),
                denied("/%61%64%6d%69%6e/users"),
                denied("/admin/."),
                denied("/admin/"),
                denied("/admin/x/.."),
                denied("/public/x/../../admin/users"),
                // --- the query never takes part in matching
                denied("/admin?x=/../public"),
                denied("/admin?/public"),
                denied("/admin?x=%2F..%2Fpublic"),
                // --- a bad query is refused, not cut off
                refused("/admin?x=#"),
                closes("/admin?x=\u00e9"),
                // --- absolute-form names its own origin: same canonical path
                denied("http://app.test/public/../admin"),
                denied("http://app.test//admin"),
                refused("http://app.test/%2e%2e/admin"),
                refused("http://app.test/public%2F..%2Fadmin"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("adminAttacks")
    void noEncodingReachesAdminUpstream(String target, int status, boolean closes) throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse response = client.readResponse(WAIT);
            assertThat(response.status()).isEqualTo(status);
            if (closes) {
                assertThat(client.isClosedByPeer(WAIT)).isTrue();
            } else {
                // Not a framing error: the same connection serves the sentinel next.
                client.send(Sentinel.REQUEST);
                assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            }
        }
        if (closes) {
            Sentinel.send(gateway.port());
        }

        Sentinel.assertOnlySentinelReached(gateway.upstream());
    }

    /** Accepted targets and exactly the request-target the upstream receives. */
    static Stream<Arguments> canonicalForms() {
        return Stream.of(
                // 1: dot segment and double slash
                Arguments.of("/a/./b//c", "/a/b/c"),
                // 2: unreserved escapes decoded (a different path from /admin: paths are case-sensitive)
                Arguments.of("/%41dmin", "/Admin"),
                // 3: encoded dot-dot resolved after decoding (CVE-2021-41773)
                Arguments.of("/a/%2e%2e/b", "/b"),
                // 4: trailing dot-dot keeps the trailing slash
                Arguments.of("/a/b/..", "/a/"),
                // 5: trailing dot
                Arguments.of("/a/.", "/a/"),
                // 6: climbing that stays below the root
                Arguments.of("/a/b/../../c", "/c"),
                // 7: a protocol-relative look-alike is just a path on this host
                Arguments.of("//evil.test/x", "/evil.test/x"),
                // 8: the query is forwarded raw, escapes and all
                Arguments.of("/public?x=%2F..%2Fadmin&y=%00", "/public?x=%2F..%2Fadmin&y=%00"),
                // 9: a query that looks like a path
                Arguments.of("/public?q=/../admin", "/public?q=/../admin"),
                // 10: an empty query stays
                Arguments.of("/public?", "/public?"),
                // 11: space, '?' and '#' as data are re-encoded
                Arguments.of("/a%20b%3Fc%23d", "/a%20b%3Fc%23d"),
                // 12: unreserved and sub-delims are sent raw
                Arguments.of("/%7Euser/a%3Ab%40c%2Bd", "/~user/a:b@c+d"),
                // 13: characters RFC 3986 does not allow raw are sent encoded (upper-case hex)
                Arguments.of("/%5bx%5d%7c%5e", "/%5Bx%5D%7C%5E"),
                // 14: raw characters outside pchar are encoded on the way out
                Arguments.of("/a\"b<c>", "/a%22b%3Cc%3E"),
                // 15: dot segments around the public prefix
                Arguments.of("/public/./../public/x", "/public/x"),
                // 16: absolute-form becomes origin-form
                Arguments.of("http://app.test/a/./b?q=1", "/a/b?q=1"),
                // 17: absolute-form without a path
                Arguments.of("http://app.test", "/"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("canonicalForms")
    void acceptedPathReachesUpstreamInCanonicalForm(String target, String forwarded) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET " + target + " HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET " + forwarded + " HTTP/1.1");
        assertThat(received.headers("Host")).containsExactly("app.test");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    private static Arguments refused(String target) {
        return Arguments.of(target, 400, false);
    }

    private static Arguments closes(String target) {
        return Arguments.of(target, 400, true);
    }

    private static Arguments denied(String target) {
        return Arguments.of(target, 403, false);
    }
}
