package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;

/**
 * SECURITY-RULES 12 through the real gateway: after the password alone (bob has an authenticator app), every portal
 * route the allow-list does not name sends the browser to the second-factor page (JSON calls: 403
 * {@code second_factor_due}), even with the session's right CSRF token; the allowed ones answer; and the session stays
 * half signed in with the same id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PendingSessionAllowListTest {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T11:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, """
                webauthn:
                  passwordless: true
                """);
        flow = new TotpFlow(gateway, clock);
        flow.enrol("bob");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    static Stream<Arguments> routes() {
        return Stream.of(
                // method, path, json, allowed while the second factor is due
                Arguments.of("GET", "/.portcullis/login", false, false),
                Arguments.of("POST", "/.portcullis/login", false, false),
                Arguments.of("GET", "/.portcullis/", false, false),
                Arguments.of("GET", "/.portcullis", false, false),
                Arguments.of("GET", "/.portcullis/enrol", false, false),
                Arguments.of("POST", "/.portcullis/enrol", false, false),
                Arguments.of("GET", "/.portcullis/factors", false, false),
                Arguments.of("POST", "/.portcullis/factors", false, false),
                Arguments.of("GET", "/.portcullis/security-key", false, false),
                Arguments.of("POST", "/.portcullis/security-key", false, false),
                Arguments.of("POST", "/.portcullis/recovery-codes.txt", false, false),
                Arguments.of("GET", "/.portcullis/ssh/approve", false, false),
                Arguments.of("POST", "/.portcullis/ssh/approve", false, false),
                Arguments.of("GET", "/.portcullis/connect/device-approve", false, false),
                Arguments.of("POST", "/.portcullis/connect/device-approve", false, false),
                Arguments.of("POST", "/.portcullis/webauthn/register/options", true, false),
                Arguments.of("POST", "/.portcullis/webauthn/register", true, false),
                Arguments.of("POST", "/.portcullis/webauthn/passkey/options", true, false),
                Arguments.of("POST", "/.portcullis/webauthn/passkey", true, false),
                Arguments.of("GET", "/.portcullis/desktops", false, false),
                Arguments.of("POST", "/.portcullis/desktops", false, false),
                Arguments.of("GET", "/.portcullis/connect/authorize?response_type=code&target=db"
                        + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&code_challenge="
                        + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=s", false, false),
                Arguments.of("GET", "/.portcullis/second-factor", false, true),
                Arguments.of("GET", "/.portcullis/webauthn.js", false, true),
                Arguments.of("GET", "/.portcullis/logout", false, true),
                Arguments.of("POST", "/.portcullis/webauthn/authenticate/options", true, true),
                Arguments.of("POST", "/.portcullis/webauthn/authenticate", true, true));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void aHalfSignedInSessionReachesOnlyTheSecondFactorPages(String method, String path, boolean json,
                                                             boolean allowed) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        String pending = flow.password("bob", SignInGateway.BOB_PASSWORD, "");
        String token = flow.token("/.portcullis/second-factor", pending);
        String headers = "Origin: " + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: "
                + pending + "\r\n";

        RawResponse answer = "GET".equals(method) ? gateway.navigate("login.test", path, pending)
                : json ? gateway.sendJson("login.test", path, headers + "X-CSRF-Token: " + token + "\r\n", "{}")
                : gateway.send("POST", "login.test", path, headers, "csrf=" + SignInGateway.encode(token)
                        + "&step=start&action=recovery_codes");

        boolean sentToSecondFactor = json ? answer.status() == 403
                && answer.bodyText().contains("\"error\":\"second_factor_due\"")
                : answer.status() == 303 && "/.portcullis/second-factor".equals(answer.header("Location"));
        assertThat(sentToSecondFactor).as(answer.statusLine() + " " + answer.header("Location") + " "
                + answer.bodyText()).isEqualTo(!allowed);
        assertThat(answer.headers("Set-Cookie")).noneSatisfy(c -> assertThat(c).startsWith("__Host-portcullis="));
        assertThat(gateway.navigate("login.test", "/.portcullis/", pending).header("Location"))
                .as("still half signed in").isEqualTo("/.portcullis/second-factor");
    }
}
