package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.server.ConfigReloader.Outcome;

/**
 * SECURITY-RULES 6 across routes: a custom identity or JWT header name configured on one route is stripped on every
 * route, because one upstream often serves several routes (two path prefixes of one host, or two hosts), and an
 * upstream that reads {@code X-Employee-Id} on one route reads it on all. Each route only writes its own names, so
 * before the fix a client sent {@code X-Employee-Id: admin} on a sibling route, a bypass rule let it through, and the
 * upstream believed it. Judged by the raw bytes the echo upstream received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class CrossRouteIdentityHeaderTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String MARKER = "forged-by-client";

    /** Every custom name some route configures: identity headers and JWT headers, on several routes. */
    private static final List<String> CONFIGURED_NAMES = List.of(
            "X-Employee-Id", "X-Employee-Roles", "X-Care-Assertion", "X-Ward-User", "X-Ward-Token");

    /** Host and target that lands on each route; all routes share one upstream. */
    private static final List<String[]> ROUTE_TARGETS = List.of(
            new String[] {"app.test", "/employee/page"},   // route employee: identity_headers mapping
            new String[] {"app.test", "/signed/page"},     // route signed: jwt with a custom header
            new String[] {"app.test", "/plain/page"},      // route plain (path "/"): no identity headers of its own
            new String[] {"ward.test", "/page"},           // route ward, another host: identity mapping + jwt
            new String[] {"other.test", "/page"});         // route other, third host: defaults only

    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            identity:
              signing_key: ${file:@KEY@}
            routes:
              - name: employee
                host: app.test
                path_prefix: /employee
                upstream: http://@UPSTREAM@
                identity_headers: {user: X-Employee-Id, groups: X-Employee-Roles}
              - name: signed
                host: app.test
                path_prefix: /signed
                upstream: http://@UPSTREAM@
                jwt: {header: X-Care-Assertion}
              - name: plain
                host: app.test
                upstream: http://@UPSTREAM@
              - name: ward
                host: ward.test
                upstream: http://@UPSTREAM@
                identity_headers: {user: X-Ward-User}
                jwt: {header: X-Ward-Token}
              - name: other
                host: other.test
                upstream: http://@UPSTREAM@
            @EXTRA_ROUTE@
            access_control:
              default_policy: deny
              rules:
                - id: open-everything
                  policy: bypass
            """;

    private static final String LATE_ROUTE = """
              - name: late
                host: late.test
                upstream: http://@UPSTREAM@
                identity_headers: {user: X-Late-Id}
            """;

    @TempDir
    static Path dir;
    private EchoUpstream upstream;
    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        Path key = dir.resolve("jwt-key.pem");
        Files.writeString(key, newSigningKeyPem(), StandardCharsets.US_ASCII);
        upstream = EchoUpstream.start();
        gateway = GatewayHarness.start(dir, config(key, ""), upstream.port());
    }

    @AfterAll
    void stop() {
        gateway.close();
        upstream.close();
    }

    private static String config(Path key, String extraRoute) {
        return CONFIG.replace("@KEY@", key.toString()).replace("@EXTRA_ROUTE@\n", extraRoute);
    }

    /** Every spelling the ingress treats as one name: case, '_' or another odd byte for '-', duplicates. */
    static List<String> spellings(String name) {
        return List.of(
                name,                                                     // as configured
                name.toLowerCase(Locale.ROOT),                            // lower case
                name.toUpperCase(Locale.ROOT),                            // upper case
                name.replace('-', '_'),                                   // CGI spelling
                name.toUpperCase(Locale.ROOT).replace('-', '_'),          // HTTP_X_EMPLOYEE_ID after CGI mapping
                name.replace('-', '.'));                                  // another token character for '-'
    }

    static Stream<Arguments> everyRouteEveryNameEverySpelling() {
        List<Arguments> rows = new ArrayList<>();
        for (String[] route : ROUTE_TARGETS) {
            for (String name : CONFIGURED_NAMES) {
                for (String spelling : spellings(name)) {
                    rows.add(Arguments.of(route[0], route[1], name, spelling));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}{1} ← {3}")
    @MethodSource("everyRouteEveryNameEverySpelling")
    void everyConfiguredNameIsStrippedOnEveryRoute(String host, String target, String name, String spelling)
            throws Exception {
        GatewayUnderTest.drain(upstream);
        RawResponse response = RawHttpClient.exchange(gateway.port(), "GET " + target + " HTTP/1.1\r\nHost: " + host
                + "\r\n" + spelling + ": admin-" + MARKER + "\r\n" + spelling + ": root-" + MARKER + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = upstream.takeRequest(WAIT);
        assertThat(received.target()).isEqualTo(target);
        assertThat(received.head()).doesNotContain(MARKER);
        assertThat(HeaderSpoofingTest.namesIn(received)).doesNotContain(HeaderSpoofingTest.normalize(name));
    }

    @Test
    void aNameAddedByReloadIsStrippedOnEveryOtherRouteAfterwards() throws Exception {
        Path key = dir.resolve("jwt-key.pem");
        GatewayUnderTest.drain(upstream);
        // Before the reload X-Late-Id is nobody's identity header: an ordinary header, forwarded.
        RecordedRequest before = sendWithLateHeader("app.test", "/plain/before");
        assertThat(before.headers("X-Late-Id")).containsExactly("admin-" + MARKER);

        gateway.rewriteConfig(config(key, LATE_ROUTE), upstream.port());
        try {
            assertThat(gateway.reloader().reload()).isEqualTo(Outcome.APPLIED);
            for (String[] route : ROUTE_TARGETS) {
                for (String spelling : spellings("X-Late-Id")) {
                    RawResponse response = RawHttpClient.exchange(gateway.port(), "GET " + route[1]
                            + " HTTP/1.1\r\nHost: " + route[0] + "\r\n" + spelling + ": admin-" + MARKER + "\r\n\r\n");
                    assertThat(response.status()).isEqualTo(200);
                    RecordedRequest received = upstream.takeRequest(WAIT);
                    assertThat(received.head()).as("%s%s with %s", route[0], route[1], spelling)
                            .doesNotContain(MARKER);
                }
            }
        } finally {
            gateway.rewriteConfig(config(key, ""), upstream.port());
            assertThat(gateway.reloader().reload()).isEqualTo(Outcome.APPLIED);
        }
        // And removed again with the route: the set follows reloads both ways.
        RecordedRequest after = sendWithLateHeader("app.test", "/plain/after");
        assertThat(after.headers("X-Late-Id")).containsExactly("admin-" + MARKER);
    }

    private RecordedRequest sendWithLateHeader(String host, String target) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(), "GET " + target + " HTTP/1.1\r\nHost: " + host
                + "\r\nX-Late-Id: admin-" + MARKER + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        return upstream.takeRequest(WAIT);
    }

    private static String newSigningKeyPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
