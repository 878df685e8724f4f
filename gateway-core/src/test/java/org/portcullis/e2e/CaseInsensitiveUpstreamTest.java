package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Path rules in front of a case-insensitive (IIS) upstream, through the running gateway (SECURITY-RULES 22; issue
 * 12). The same policy serves a route with {@code paths: case_insensitive} ({@code iis.example.org}) and a default
 * route ({@code plain.example.org}) to the same upstream: {@code /admin} is denied, {@code /Manage/**} needs a second
 * factor, everything else is bypassed. Every case or Windows variant of a protected path is, on the IIS route,
 * denied or challenged exactly like the protected path itself, or refused with 400 when Windows would fold it into
 * another name, and never reaches the upstream. On the default route the same variants keep today's behaviour:
 * they are other paths, decided on as written and forwarded as written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseInsensitiveUpstreamTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING_ARRIVES = Duration.ofMillis(200);

    static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: iis
                host: iis.example.org
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
                paths: case_insensitive
              - name: plain
                host: plain.example.org
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
              - name: mixed-root
                host: mixed.example.org
                upstream: http://@OTHER_UPSTREAM@
                upstream_timeout: 2s
              - name: mixed-app
                host: mixed.example.org
                path_prefix: /App
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
                paths: case_insensitive
            access_control:
              default_policy: bypass
              rules:
                - id: admin-closed
                  paths: [/admin]
                  policy: deny
                - id: manage-needs-two-factors
                  paths: [/Manage/**]
                  policy: two_factor
                - id: app-reports-closed
                  hosts: [mixed.example.org]
                  paths: [/App/Reports]
                  policy: deny
            """;

    @TempDir
    static Path dir;

    EchoUpstream upstream;
    EchoUpstream other;
    GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        upstream = EchoUpstream.start();
        other = EchoUpstream.start();
        gateway = GatewayHarness.start(dir, CONFIG.replace("@OTHER_UPSTREAM@", "127.0.0.1:" + other.port()),
                upstream.port());
    }

    @AfterAll
    void stop() {
        gateway.close();
        upstream.close();
        other.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        GatewayUnderTest.drain(upstream, other);
    }

    /** Variants of the denied {@code /admin}: target, status on the IIS route, request-target forwarded on plain. */
    static final Object[][] ADMIN_VARIANTS = {
        // the rule's own path: denied on both routes
        {"/admin", 403, null},
        {"/admin/users", 403, null},
        // case variants: the same resource to IIS
        {"/ADMIN/users", 403, "/ADMIN/users"},
        {"/Admin", 403, "/Admin"},
        {"/aDmIn/x/y", 403, "/aDmIn/x/y"},
        {"/%41DMIN/users", 403, "/ADMIN/users"},
        // a segment ending in '.' or space: Windows drops the trailing dots and spaces
        {"/admin./", 400, "/admin./"},
        {"/admin%20/", 400, "/admin%20/"},
        {"/admin.../", 400, "/admin.../"},
        {"/admin.", 400, "/admin."},
        {"/admin%20", 400, "/admin%20"},
        {"/ADMIN.%20./users", 400, "/ADMIN.%20./users"},
        {"/admin%2e/users", 400, "/admin./users"},
        // 8.3 short names: ADMINI~1 is how Windows also names a folder called administration
        {"/ADMINI~1/", 400, "/ADMINI~1/"},
        {"/admin~1/users", 400, "/admin~1/users"},
        {"/PROGRA~1.TXT", 400, "/PROGRA~1.TXT"},
        {"/admin%7E1/users", 400, "/admin~1/users"},
        // alternate data streams: IIS reads admin::$DATA as the file admin
        {"/admin::$DATA", 400, "/admin::$DATA"},
        {"/admin:x/users", 400, "/admin:x/users"},
    };

    /** Variants of {@code /Manage/**} (two_factor; challenged with 401 while anonymous). */
    static final Object[][] MANAGE_VARIANTS = {
        {"/Manage/x", 401, null},
        {"/manage/x", 401, "/manage/x"},
        {"/MANAGE", 401, "/MANAGE"},
        {"/mAnAgE/users/7", 401, "/mAnAgE/users/7"},
        {"/Manage./x", 400, "/Manage./x"},
        {"/manage%20/x", 400, "/manage%20/x"},
        {"/manage.../x", 400, "/manage.../x"},
        {"/MANAGE~1/x", 400, "/MANAGE~1/x"},
        {"/manage::$DATA/x", 400, "/manage::$DATA/x"},
    };

    static Stream<Arguments> iisVariants() {
        List<Arguments> rows = new ArrayList<>();
        for (Object[] row : ADMIN_VARIANTS) {
            rows.add(Arguments.of("deny", row[0], row[1]));
        }
        for (Object[] row : MANAGE_VARIANTS) {
            rows.add(Arguments.of("two_factor", row[0], row[1]));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{index}: {0} rule, iis {1} → {2}")
    @MethodSource("iisVariants")
    void onACaseInsensitiveRouteEveryVariantIsDecidedLikeTheRuleOrRefused(String ruleKind, String target,
                                                                          int status) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET " + target + " HTTP/1.1\r\nHost: iis.example.org\r\n\r\n");

        assertThat(response.status()).as(ruleKind + " " + target).isEqualTo(status);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.bodyText()).contains(status == 401 ? "Sign-in required"
                : status == 403 ? "Access denied" : "Bad request");
        assertThat(upstream.takeRequest(NOTHING_ARRIVES)).as("nothing reached the upstream").isNull();
        assertThat(other.takeRequest(Duration.ZERO)).isNull();
    }

    static Stream<Arguments> plainVariants() {
        List<Arguments> rows = new ArrayList<>();
        for (Object[] row : ADMIN_VARIANTS) {
            rows.add(Arguments.of("deny", row[0], row[2]));
        }
        for (Object[] row : MANAGE_VARIANTS) {
            rows.add(Arguments.of("two_factor", row[0], row[2]));
        }
        return rows.stream();
    }

    /**
     * Today's behaviour on a default (case-sensitive) route: a path that differs from the rule's is another
     * resource; it is bypassed here and reaches the upstream exactly as the gateway canonicalised it.
     */
    @ParameterizedTest(name = "{index}: {0} rule, plain {1} → {2}")
    @MethodSource("plainVariants")
    void onADefaultRouteVariantsAreOtherPathsAndForwardedAsWritten(String ruleKind, String target, String forwarded)
            throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET " + target + " HTTP/1.1\r\nHost: plain.example.org\r\n\r\n");

        if (forwarded == null) {
            assertThat(response.status()).as("the rule's own path").isIn(401, 403);
            assertThat(upstream.takeRequest(NOTHING_ARRIVES)).isNull();
            return;
        }
        assertThat(response.status()).as(ruleKind + " " + target).isEqualTo(200);
        RecordedRequest received = upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET " + forwarded + " HTTP/1.1");
    }

    static Stream<Arguments> iisForwarded() {
        return Stream.of(
                // 1: case is forwarded as sent: the upstream folds it itself
                Arguments.of("iis.example.org", "/Public/Leaflet.PDF", "/Public/Leaflet.PDF", true),
                // 2: a dot inside a name is ordinary
                Arguments.of("iis.example.org", "/default.aspx/x.y", "/default.aspx/x.y", true),
                // 3: a '~' not followed by a digit is no short name
                Arguments.of("iis.example.org", "/~user/a~b", "/~user/a~b", true),
                // 4: path_prefix /App on a case-insensitive route catches /app
                Arguments.of("mixed.example.org", "/app/x", "/app/x", true),
                // 5: ... and /APP
                Arguments.of("mixed.example.org", "/APP", "/APP", true),
                // 6: other paths of that host go to the root route's upstream
                Arguments.of("mixed.example.org", "/application", "/application", false));
    }

    @ParameterizedTest(name = "{index}: {0}{1} → {2}")
    @MethodSource("iisForwarded")
    void allowedPathsAreForwardedExactlyAsCanonicalised(String host, String target, String forwarded,
                                                        boolean toIis) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        EchoUpstream reached = toIis ? upstream : other;
        EchoUpstream notReached = toIis ? other : upstream;
        assertThat(reached.takeRequest(WAIT).requestLine()).isEqualTo("GET " + forwarded + " HTTP/1.1");
        assertThat(notReached.takeRequest(Duration.ZERO)).isNull();
    }

    static Stream<Arguments> appPrefixRefused() {
        return Stream.of(
                // 1: the rule's own path
                Arguments.of("/App/Reports", 403),
                // 2: lower case still reaches the /App route, and its rule
                Arguments.of("/app/reports/2019", 403),
                // 3: upper case
                Arguments.of("/APP/REPORTS", 403),
                // 4: a trailing dot on the prefix segment is routed to the IIS route and refused there
                Arguments.of("/APP./Reports", 400),
                // 5: a short name below the prefix
                Arguments.of("/app/REPORT~1", 400));
    }

    @ParameterizedTest(name = "{index}: mixed.example.org{0} → {1}")
    @MethodSource("appPrefixRefused")
    void aCaseInsensitivePathPrefixRoutesEveryCaseToItsRules(String target, int status) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET " + target + " HTTP/1.1\r\nHost: mixed.example.org\r\n\r\n");

        assertThat(response.status()).isEqualTo(status);
        assertThat(upstream.takeRequest(NOTHING_ARRIVES)).isNull();
        assertThat(other.takeRequest(Duration.ZERO)).as("never the root route's upstream").isNull();
    }

    /** The refusal is audited with its own reason and the route, and the path as it was decided on. */
    @Test
    void aWindowsAliasRefusalIsAuditedAsSuch(@TempDir Path auditDir) throws Exception {
        String audited = CONFIG.replace("@OTHER_UPSTREAM@", "127.0.0.1:" + other.port()) + """
                audit:
                  file: audit.jsonl
                  key: "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
                  rotate: never
                """;
        GatewayHarness auditing = GatewayHarness.start(auditDir, audited, upstream.port());
        try {
            assertThat(RawHttpClient.exchange(auditing.port(),
                    "GET /ADMINI~1/users HTTP/1.1\r\nHost: iis.example.org\r\n\r\n").status()).isEqualTo(400);
        } finally {
            auditing.close();
        }
        // The run's own gateway.start and gateway.stop lines frame the decision.
        List<String> lines = Files.readString(auditDir.resolve("audit.jsonl")).lines()
                .filter(l -> l.contains("\"event.action\":\"access.decision\"")).toList();
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        assertThat(AuditTrailTest.field(line, "event.reason")).isEqualTo("WINDOWS_PATH_ALIAS");
        assertThat(AuditTrailTest.field(line, "rule.id")).isEqualTo("case_insensitive_paths");
        assertThat(AuditTrailTest.field(line, "route")).isEqualTo("iis");
        assertThat(AuditTrailTest.field(line, "url.path")).isEqualTo("/ADMINI~1/users");
        assertThat(AuditTrailTest.field(line, "http.response.status_code")).isEqualTo("400");
        assertThat(upstream.takeRequest(NOTHING_ARRIVES)).isNull();
    }
}
