package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.ops.AdminClient;
import org.portcullis.ops.AdminClient.Metrics;

/**
 * The admin listener of a real gateway with sign-in, configured as {@code run} wires it ({@code server.admin}):
 * requests, sign-ins, second factors and lockouts made through the gateway move their counters in {@code /metrics};
 * {@code /health/ready} names the failing part; nothing served names a user, an address or a secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsAndHealthTest {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;
    AdminClient admin;
    String aliceSecret;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.startWithServer(dir, clock, TotpFlow.POLICY, """
                lockout:
                  max_failures: 3
                """, """
                  admin:
                    address: 127.0.0.1:0
                """);
        flow = new TotpFlow(gateway, clock);
        aliceSecret = flow.enrol("alice");
        admin = new AdminClient(gateway.server.operations().adminAddress().orElseThrow());
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    String rd(String target) {
        return "https://app.test:" + gateway.port + target;
    }

    @Test
    void requestsSignInsSecondFactorsAndLockoutsMoveTheirCounters() throws Exception {
        clock.advance(Duration.ofSeconds(90));
        flow.postFrom(20);
        Metrics before = admin.scrape();

        RawResponse bypassed = gateway.send("GET", "app.test", "/public/leaflet", "", null);
        RawResponse challenged = gateway.navigate("app.test", "/records/7", "");
        SignInGateway.LoginForm form = gateway.loginForm(rd("/records/7"));
        RawResponse wrongPassword = gateway.postLogin(form, "alice", "not the password", rd("/records/7"), "");
        String pending = flow.password("alice", SignInGateway.PASSWORD, rd("/records/7"));
        RawResponse wrongCode = flow.submitCode(pending, "000000".equals(flow.code(aliceSecret)) ? "111111"
                : "000000");
        RawResponse rightCode = flow.submitCode(pending, flow.code(aliceSecret));
        for (int i = 0; i < 3; i++) {
            gateway.postLogin(gateway.loginForm(rd("/")), "bob", "wrong " + i, rd("/"), "");
        }

        Metrics after = admin.scrape();
        assertThat(bypassed.status()).isEqualTo(200);
        assertThat(challenged.status()).isEqualTo(302);
        assertThat(wrongPassword.status()).isNotEqualTo(303);
        assertThat(wrongCode.status()).isNotEqualTo(303);
        assertThat(rightCode.status()).isEqualTo(303);
        assertThat(delta(before, after, "portcullis_requests_total", "route", "app", "decision", "forwarded",
                "status", "200", "outcome", "FORWARDED")).as("the bypassed request").isEqualTo(1);
        assertThat(delta(before, after, "portcullis_requests_total", "route", "app", "decision", "challenged",
                "status", "302")).as("the challenge, and those of the login forms' visits").isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "portcullis_requests_total", "route", "portal", "decision", "portal"))
                .as("the portal's pages and posts").isGreaterThanOrEqualTo(8);
        double appRequests = delta(before, after, "portcullis_requests_total", "route", "app");
        assertThat(delta(before, after, "portcullis_request_duration_seconds_count", "route", "app"))
                .isEqualTo(appRequests);
        assertThat(delta(before, after, "portcullis_request_duration_seconds_bucket", "route", "app", "le", "30.0"))
                .as("every request falls in the last finite bucket").isEqualTo(appRequests);
        assertThat(delta(before, after, "portcullis_sign_ins_total", "result", "failure")).isEqualTo(4);
        assertThat(delta(before, after, "portcullis_sign_ins_total", "result", "success")).isEqualTo(1);
        assertThat(delta(before, after, "portcullis_second_factors_total", "type", "totp", "result", "failure"))
                .isEqualTo(1);
        assertThat(delta(before, after, "portcullis_second_factors_total", "type", "totp", "result", "success"))
                .isEqualTo(1);
        assertThat(delta(before, after, "portcullis_lockouts_total")).as("bob's third failure").isEqualTo(1);
        assertThat(delta(before, after, "portcullis_store_operations_seconds_count", "operation", "write"))
                .isPositive();
        assertThat(after.value("portcullis_sessions_open")).isGreaterThanOrEqualTo(1);
        assertThat(after.value("portcullis_requests_in_flight")).isZero();
        assertThat(after.value("portcullis_upstream_connections_max")).isPositive();
        assertThat(after.value("portcullis_certificate_expiry_seconds", "certificate", "server-chain.pem"))
                .as("the test certificate is valid for a while").isPositive();
        assertThat(after.has("jvm_memory_used_bytes")).isTrue();
        assertThat(after.has("portcullis_netty_direct_memory_used_bytes")).isTrue();
        assertThat(after.has("portcullis_access_log_dropped_total")).isTrue();
        assertThat(after.text()).doesNotContain("alice", "bob", "127.0.0.1", "127.0.0.20", SignInGateway.PASSWORD,
                aliceSecret, "/records", "login.test");
    }

    private static double delta(Metrics before, Metrics after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    @Test
    void readyWhenConfigStoreAndAuditWork() throws Exception {
        HttpResponse<String> ready = admin.get("/health/ready");
        HttpResponse<String> live = admin.get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ready.body()).isEqualTo(
                "{\"status\":\"ready\",\"checks\":{\"config\":\"ok\",\"store\":\"ok\",\"audit\":\"ok\"}}");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"live\"}");
    }

    @Test
    void notReadyWhileTheDataDirectoryIsGoneAndReadyAgainWhenItIsBack() throws Exception {
        Path data = gateway.dir.resolve("data");
        Path aside = gateway.dir.resolve("data-aside");
        Files.move(data, aside);
        HttpResponse<String> gone;
        try {
            gone = admin.get("/health/ready");
        } finally {
            Files.move(aside, data);
        }
        HttpResponse<String> back = admin.get("/health/ready");

        assertThat(gone.statusCode()).isEqualTo(503);
        assertThat(gone.body()).isEqualTo("{\"status\":\"not_ready\",\"checks\":{\"config\":\"ok\","
                + "\"store\":\"data directory missing or not writable\",\"audit\":\"ok\"}}");
        assertThat(back.statusCode()).isEqualTo(200);
    }

    /**
     * docs/grafana/portcullis-dashboard.json is built on the metrics this gateway serves: every series name in every
     * query of the dashboard (and of the label query of its variable) is in {@code /metrics}.
     */
    @Test
    void everyMetricTheGrafanaDashboardQueriesIsServed() throws Exception {
        String dashboard = Files.readString(Path.of("../docs/grafana/portcullis-dashboard.json"));
        java.util.Set<String> queried = new java.util.TreeSet<>();
        java.util.regex.Matcher expr = java.util.regex.Pattern.compile("\"(?:expr|query)\": \"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(dashboard);
        while (expr.find()) {
            java.util.regex.Matcher name = java.util.regex.Pattern.compile(
                    "\\b((?:portcullis|jvm|netty|process)_[a-z0-9_]+)\\b").matcher(expr.group(1));
            while (name.find()) {
                queried.add(name.group(1));
            }
        }
        gateway.send("GET", "app.test", "/public/warm-up", "", null); // a pool and a request series exist

        Metrics served = admin.scrape();

        assertThat(queried).as("the dashboard queries something").hasSizeGreaterThan(15);
        assertThat(queried).allSatisfy(name -> assertThat(served.has(name)).as(name + " is served").isTrue());
    }

    @Test
    void answersOnlyItsOwnPathsAndOnlyGet() throws Exception {
        assertThat(admin.get("/metrics/").statusCode()).isEqualTo(404);
        assertThat(admin.get("/health").statusCode()).isEqualTo(404);
        assertThat(admin.get("/").statusCode()).isEqualTo(404);
        assertThat(admin.get("/.portcullis/login").statusCode()).isEqualTo(404);
        assertThat(admin.send("POST", "/metrics").statusCode()).isEqualTo(405);
        assertThat(admin.send("DELETE", "/health/ready").statusCode()).isEqualTo(405);
    }
}
