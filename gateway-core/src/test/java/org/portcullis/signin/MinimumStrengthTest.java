package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;

/**
 * {@code minimum_strength} and lapsed exceptions through the real gateway (issue 20): a session whose second factor is
 * a TOTP code (graded "better") is challenged, never forwarded, on a rule that needs "best" (a security key), while
 * it reaches a plain two-factor rule; and a one_factor rule whose exception passes its {@code review_by} day while the
 * gateway runs refuses from the next day on, with no reload.
 */
class MinimumStrengthTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);
    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: prescribing
                  hosts: [app.test]
                  paths: ["/prescribing/**"]
                  policy: two_factor
                  minimum_strength: best
                - id: records
                  hosts: [app.test]
                  paths: ["/records/**"]
                  policy: two_factor
                - id: legacy
                  hosts: [app.test]
                  paths: ["/legacy/**"]
                  policy: one_factor
                  exception: legacy-app
                - id: signed-in
                  hosts: [app.test, other.test]
                  policy: two_factor
              exceptions:
                - id: legacy-app
                  reason: vendor app that breaks behind a second factor; replacement contracted
                  risk_owner: Clinical systems lead
                  approver: SIRO
                  approved_on: 2026-01-05
                  review_by: 2026-11-30
            """;

    MutableClock clock = new MutableClock(Instant.parse("2026-11-30T23:50:00Z"));
    SignInGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    String rd(String target) {
        return "https://app.test:" + gateway.port + target;
    }

    /** Password and TOTP for {@code target}; returns the app.test session cookie. */
    String signInWithTotp(TotpFlow flow, String secret, String target) throws Exception {
        String pending = flow.password("alice", SignInGateway.PASSWORD, rd(target));
        RawResponse answer = flow.submitCode(pending, flow.code(secret));
        assertThat(answer.status()).isEqualTo(303);
        return gateway.callback(answer.header("Location")).cookie();
    }

    @Test
    void aTotpSessionIsChallengedNotForwardedOnARuleThatNeedsBest(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, POLICY, "");
        TotpFlow flow = new TotpFlow(gateway, clock);
        String secret = flow.enrol("alice");
        String host = signInWithTotp(flow, secret, "/records/7");

        RawResponse records = gateway.navigate("app.test", "/records/7", host);
        assertThat(records.status()).as("TOTP is enough for a plain two_factor rule").isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(WAIT).requestLine()).isEqualTo("GET /records/7 HTTP/1.1");

        int auditFrom = gateway.auditLines().size();
        RawResponse page = gateway.navigate("app.test", "/prescribing/1", host);
        assertThat(page.status()).as("a browser is sent to the portal for a stronger factor").isEqualTo(302);
        assertThat(page.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/");
        RawResponse api = gateway.send("GET", "app.test", "/prescribing/1", "Accept: application/json\r\n"
                + SignInGateway.cookieHeader(host), null);
        assertThat(api.status()).isEqualTo(401);
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing reached the upstream").isNull();
        assertThat(gateway.awaitAuditLine(auditFrom, "\"prescribing\""))
                .anySatisfy(line -> assertThat(line).contains("\"prescribing\""));
    }

    @Test
    void aRuleWhoseExceptionLapsesWhileRunningRefusesFromTheNextDay(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, POLICY, "");
        TotpFlow flow = new TotpFlow(gateway, clock);
        String secret = flow.enrol("alice");
        String host = signInWithTotp(flow, secret, "/legacy/home");

        RawResponse before = gateway.navigate("app.test", "/legacy/home", host);
        assertThat(before.status()).as("on its review_by day the exception holds").isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(WAIT)).isNotNull();

        clock.advance(Duration.ofMinutes(15)); // 2026-12-01T00:05Z: the day after review_by
        int auditFrom = gateway.auditLines().size();
        RawResponse after = gateway.navigate("app.test", "/legacy/home", host);
        assertThat(after.status()).isEqualTo(403);
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing reached the upstream").isNull();
        assertThat(gateway.awaitAuditLine(auditFrom, "EXCEPTION_LAPSED"))
                .anySatisfy(line -> assertThat(line).contains("\"legacy\"").contains("\"EXCEPTION_LAPSED\""));
        RawResponse records = gateway.navigate("app.test", "/records/1", host);
        assertThat(records.status()).as("the session itself is still good").isEqualTo(200);
    }
}
