package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
 * The access policy enforced by the running gateway (issue "Access policy engine" §4-§5): raw requests through the
 * real gateway with the issue's example policy adapted to loopback, checking what the client gets and what each of
 * the two upstreams received. Every request is anonymous until sessions exist, so {@code one_factor} and
 * {@code two_factor} rules fail closed with 401 and only {@code bypass} rules forward.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyEnforcementTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING_ARRIVES = Duration.ofMillis(300);

    /**
     * Two routes on records.example.org ({@code /} → upstream A, {@code /api} → upstream B), an admin host and a host
     * that no rule allows. {@code @API_UPSTREAM@} is filled in before the harness fills the rest.
     */
    static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
              trusted_proxies: [127.0.0.2/32]
            routes:
              - name: records
                host: records.example.org
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
              - name: records-api
                host: records.example.org
                path_prefix: /api
                upstream: http://@API_UPSTREAM@
                upstream_timeout: 2s
              - name: admin
                host: admin.example.org
                upstream: http://@UPSTREAM@
              - name: unlisted
                host: unlisted.example.net
                upstream: http://@UPSTREAM@
            networks:
              local_lb: [127.0.0.0/8]
              lb_health: [10.0.0.5/32]
            access_control:
              default_policy: deny
              rules:
                - id: lb-health
                  hosts: [records.example.org]
                  paths: [/healthz]
                  methods: [GET, HEAD]
                  networks: [local_lb]
                  policy: bypass
                - id: remote-lb-status
                  hosts: [records.example.org]
                  paths: [/lb-status]
                  networks: [lb_health]
                  policy: bypass
                - id: it-admins-only
                  hosts: ["*.example.org"]
                  paths: [/admin/**]
                  subjects: [[group:it-admins]]
                  policy: two_factor
                  factors: [webauthn]
                  max_factor_age: 15m
                - id: no-deletes
                  hosts: [records.example.org]
                  methods: [DELETE]
                  policy: deny
                - id: archive-closed
                  hosts: [records.example.org]
                  paths: [/archive]
                  policy: deny
                - id: public-pages
                  hosts: [records.example.org]
                  paths: [/public, /api/public]
                  policy: bypass
                - id: reports
                  hosts: [records.example.org]
                  paths: [/reports]
                  policy: one_factor
                - id: everything-else
                  hosts: ["*.example.org"]
                  policy: two_factor
            """;

    /** Names that say how the policy is built; none of them may reach a client. */
    static final String[] POLICY_DETAILS = {"lb-health", "it-admins", "no-deletes", "archive-closed", "public-pages",
        "reports", "everything-else", "default_policy", "rule", "two_factor", "one_factor", "webauthn"};

    @TempDir
    static Path dir;

    EchoUpstream records;
    EchoUpstream api;
    GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        records = EchoUpstream.start();
        api = EchoUpstream.start();
        gateway = GatewayHarness.start(dir, CONFIG.replace("@API_UPSTREAM@", "127.0.0.1:" + api.port()),
                records.port());
    }

    @AfterAll
    void stop() {
        gateway.close();
        records.close();
        api.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        GatewayUnderTest.drain(records, api);
    }

    enum Upstream { RECORDS, API }

    static Stream<Arguments> forwarded() {
        return Stream.of(
                // 1: the health check bypasses from a network that includes 127.0.0.1
                Arguments.of("GET", "records.example.org", "/healthz", Upstream.RECORDS),
                // 2: HEAD is listed too
                Arguments.of("HEAD", "records.example.org", "/healthz", Upstream.RECORDS),
                // 3: a path pattern is a prefix on segment boundaries
                Arguments.of("GET", "records.example.org", "/healthz/deep", Upstream.RECORDS),
                // 4: public pages go to the / route
                Arguments.of("GET", "records.example.org", "/public/leaflet.pdf", Upstream.RECORDS),
                // 5: the longest path_prefix wins: /api/... goes to the api route's upstream
                Arguments.of("GET", "records.example.org", "/api/public/status", Upstream.API),
                // 6: the query never takes part in path matching: still the public page
                Arguments.of("GET", "records.example.org", "/public?x=/admin", Upstream.RECORDS),
                // 7: host compared case-insensitively, trailing dot removed, dot segments resolved before matching
                Arguments.of("GET", "RECORDS.example.org.", "/x/../public/./a", Upstream.RECORDS),
                // 8: /apiary is not under the /api prefix: the / route
                Arguments.of("GET", "records.example.org", "/public/apiary", Upstream.RECORDS));
    }

    @ParameterizedTest(name = "{index}: {0} {1}{2} → {3}")
    @MethodSource("forwarded")
    void bypassRulesForwardToTheRightUpstream(String method, String host, String target, Upstream expected)
            throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        EchoUpstream reached = expected == Upstream.RECORDS ? records : api;
        EchoUpstream other = expected == Upstream.RECORDS ? api : records;
        RecordedRequest received = reached.takeRequest(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.method()).isEqualTo(method);
        assertThat(received.header("Host")).isEqualTo("records.example.org");
        assertThat(other.takeRequest(Duration.ZERO)).isNull();
    }

    @Test
    void queryAndRequestTargetAreForwardedExactlyAsMatched() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /x/../public/./a?x=/admin HTTP/1.1\r\nHost: records.example.org\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(records.takeRequest(WAIT).requestLine()).isEqualTo("GET /public/a?x=/admin HTTP/1.1");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // 1: a deny rule for a method
                Arguments.of("DELETE", "records.example.org", "/public/leaflet.pdf", "", 403),
                // 2: a deny rule for a path
                Arguments.of("GET", "records.example.org", "/archive/2019", "", 403),
                // 3: a route exists but no rule allows its host: default_policy deny
                Arguments.of("GET", "unlisted.example.net", "/", "", 403),
                // 4: one_factor fails closed for an anonymous caller
                Arguments.of("GET", "records.example.org", "/reports/monthly", "", 401),
                // 5: two_factor (the catch-all) fails closed
                Arguments.of("GET", "records.example.org", "/patients/7", "", 401),
                // 6: two_factor with subjects on an admin path: sign in first, never downgraded or skipped
                Arguments.of("GET", "admin.example.org", "/admin/users", "", 401),
                // 7: the query never takes part: /admin with a public-looking query is still the admin area
                Arguments.of("GET", "records.example.org", "/admin?x=/public", "", 401),
                // 8: dot segments are resolved before matching: /public/../admin is /admin
                Arguments.of("GET", "records.example.org", "/public/../admin/x", "", 401),
                // 9: paths are case-sensitive: /PUBLIC is not the public page
                Arguments.of("GET", "records.example.org", "/PUBLIC/leaflet.pdf", "", 401),
                // 10: /publicity is not under /public (segment boundaries)
                Arguments.of("GET", "records.example.org", "/publicity", "", 401),
                // 11: the health bypass lists GET and HEAD only
                Arguments.of("POST", "records.example.org", "/healthz", "Content-Length: 0\r\n", 401),
                // 12: X-Forwarded-For from a peer that is not a trusted proxy cannot claim the load balancer's address
                Arguments.of("GET", "records.example.org", "/lb-status", "X-Forwarded-For: 10.0.0.5\r\n", 401),
                // 13: an override header never changes the path that is matched
                Arguments.of("GET", "records.example.org", "/admin/x", "X-Original-URL: /public\r\n", 401),
                // 14: a method override header never turns a DELETE into a GET
                Arguments.of("DELETE", "records.example.org", "/public/a", "X-HTTP-Method-Override: GET\r\n", 403));
    }

    @ParameterizedTest(name = "{index}: {0} {1}{2} → {4}")
    @MethodSource("refused")
    void refusalsReachNoUpstreamAndShowAShortPageWithoutRuleDetails(String method, String host, String target,
                                                                    String extraHeaders, int status)
            throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders + "\r\n");

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.bodyText())
                .contains(status == 401 ? "Sign-in required" : "Access denied")
                .doesNotContain(POLICY_DETAILS)
                .doesNotContain(host);
        if (target.length() > 1) {
            assertThat(response.bodyText()).as("nothing the client sent is reflected").doesNotContain(target);
        }
        assertThat(records.takeRequest(NOTHING_ARRIVES)).isNull();
        assertThat(api.takeRequest(Duration.ZERO)).isNull();
    }

    @Test
    void signInRequiredIsJsonForAnApiClient() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /api/patients/7 HTTP/1.1\r\nHost: records.example.org\r\nAccept: application/json\r\n\r\n");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyText())
                .startsWith("{\"status\":401,\"error\":\"Sign-in required\"")
                .doesNotContain(POLICY_DETAILS);
        assertThat(api.takeRequest(NOTHING_ARRIVES)).isNull();
        assertThat(records.takeRequest(Duration.ZERO)).isNull();
    }

    @Test
    void denyIsJsonForAnApiClient() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "DELETE /api/public/x HTTP/1.1\r\nHost: records.example.org\r\nAccept: application/json\r\n\r\n");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyText()).startsWith("{\"status\":403,\"error\":\"Access denied\"")
                .doesNotContain(POLICY_DETAILS);
        assertThat(api.takeRequest(NOTHING_ARRIVES)).isNull();
    }

    @Test
    void unknownHostHasNoRouteAndIsNeverProxied() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /public HTTP/1.1\r\nHost: example.org\r\n\r\n");

        assertThat(response.status()).isEqualTo(404);
        assertThat(records.takeRequest(NOTHING_ARRIVES)).isNull();
    }

    @Test
    void everyKeepAliveRequestIsDecidedOnItsOwn() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /public/1 HTTP/1.1\r\nHost: records.example.org\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            client.send("GET /reports/1 HTTP/1.1\r\nHost: records.example.org\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(401);
            client.send("GET /archive/1 HTTP/1.1\r\nHost: records.example.org\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(403);
            client.send("GET /api/public/2 HTTP/1.1\r\nHost: records.example.org\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }
        assertThat(records.takeRequest(WAIT).path()).isEqualTo("/public/1");
        assertThat(api.takeRequest(WAIT).path()).isEqualTo("/api/public/2");
        assertThat(records.takeRequest(NOTHING_ARRIVES)).isNull();
        assertThat(api.takeRequest(Duration.ZERO)).isNull();
    }

    @Test
    void pipelinedRequestsAreEachDecidedOnTheirOwn() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /public/a HTTP/1.1\r\nHost: records.example.org\r\n\r\n"
                    + "GET /admin/b HTTP/1.1\r\nHost: records.example.org\r\n\r\n"
                    + "GET /public/c HTTP/1.1\r\nHost: records.example.org\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(401);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }
        assertThat(records.takeRequest(WAIT).path()).isEqualTo("/public/a");
        assertThat(records.takeRequest(WAIT).path()).isEqualTo("/public/c");
        assertThat(records.takeRequest(NOTHING_ARRIVES)).isNull();
    }
}
