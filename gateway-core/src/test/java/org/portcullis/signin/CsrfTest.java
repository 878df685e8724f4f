package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;

/**
 * Forged sign-in and sign-out POSTs through the real gateway (SECURITY-RULES 17): each layer of the CSRF defence
 * (Origin / Sec-Fetch-Site, the double-submit cookie, the form token) refuses on its own with 403, sets no session,
 * and the audit log names the layer; a forged sign-out leaves the session working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsrfTest {
    static final Duration NOTHING = Duration.ofMillis(300);
    static final String RD = "/.portcullis/";

    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @BeforeEach
    void drain() {
        gateway.drainUpstream();
    }

    /** What a forged request changes: {@code ORIGIN} and {@code COOKIE} are replaced by the real values. */
    record Forgery(String headers, String cookies, boolean csrfField, boolean wrongToken, String reason) {
    }

    static final String GOOD_HEADERS = "Origin: ORIGIN\r\nSec-Fetch-Site: same-origin\r\n";

    static Stream<Arguments> forgeries() {
        return Stream.of(
                // the form has no csrf field at all
                Arguments.of(new Forgery(GOOD_HEADERS, "COOKIE", false, false, "csrf_token_missing")),
                // a well-formed token that is not the cookie's (another browser's)
                Arguments.of(new Forgery(GOOD_HEADERS, "COOKIE", true, true, "csrf_token_mismatch")),
                // the token is right but the browser sends no csrf cookie (a cross-site post of a stolen token)
                Arguments.of(new Forgery(GOOD_HEADERS, "", true, false, "csrf_cookie_absent")),
                // two csrf cookies: cookie tossing from a sibling domain
                Arguments.of(new Forgery(GOOD_HEADERS, "COOKIE; OTHERCOOKIE", true, false,
                        "csrf_cookie_duplicate")),
                // a foreign Origin
                Arguments.of(new Forgery("Origin: https://evil.test\r\nSec-Fetch-Site: cross-site\r\n", "COOKIE",
                        true, false, "csrf_origin_refused")),
                // a protected host's Origin is still not the portal's
                Arguments.of(new Forgery("Origin: https://app.test:PORT\r\nSec-Fetch-Site: same-site\r\n",
                        "COOKIE", true, false, "csrf_origin_refused")),
                // Origin: null (sandboxed iframe, data: URL)
                Arguments.of(new Forgery("Origin: null\r\n", "COOKIE", true, false, "csrf_origin_refused")),
                // the right Origin but the browser says cross-site
                Arguments.of(new Forgery("Origin: ORIGIN\r\nSec-Fetch-Site: cross-site\r\n", "COOKIE", true, false,
                        "csrf_origin_refused")),
                // no Origin, the browser says same-site (a sibling subdomain)
                Arguments.of(new Forgery("Sec-Fetch-Site: same-site\r\n", "COOKIE", true, false,
                        "csrf_origin_refused")),
                // no Origin, cross-site
                Arguments.of(new Forgery("Sec-Fetch-Site: cross-site\r\n", "COOKIE", true, false,
                        "csrf_origin_refused")),
                // neither Origin nor Sec-Fetch-Site: refused by default
                Arguments.of(new Forgery("", "COOKIE", true, false, "csrf_origin_refused")),
                // Origin twice, the first one right
                Arguments.of(new Forgery("Origin: ORIGIN\r\nOrigin: https://evil.test\r\n", "COOKIE", true, false,
                        "csrf_origin_refused")),
                // the portal origin over http
                Arguments.of(new Forgery("Origin: http://login.test:PORT\r\n", "COOKIE", true, false,
                        "csrf_origin_refused")));
    }

    @ParameterizedTest
    @MethodSource("forgeries")
    void aForgedSignInIsRefusedWithoutASessionAndAudited(Forgery forgery) throws Exception {
        SignInGateway.LoginForm form = gateway.loginForm(RD);
        SignInGateway.LoginForm other = gateway.loginForm(RD);
        String token = forgery.wrongToken() ? other.token() : form.token();
        String body = "username=alice&password=" + SignInGateway.encode(SignInGateway.PASSWORD)
                + (forgery.csrfField() ? "&csrf=" + SignInGateway.encode(token) : "") + "&rd=" + RD;
        String cookies = forgery.cookies().replace("OTHERCOOKIE", other.cookie()).replace("COOKIE", form.cookie());
        String headers = forgery.headers().replace("ORIGIN", gateway.portalOrigin())
                .replace("PORT", Integer.toString(gateway.port));
        int auditBefore = gateway.auditLines().size();

        RawResponse answer = gateway.send("POST", "login.test", "/.portcullis/login", headers
                + SignInGateway.cookieHeader(cookies), body);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).isNull();
        assertThat(answer.header("Location")).isNull();
        List<String> added = gateway.awaitAuditLine(auditBefore, "\"event.action\":\"user.sign_in\"",
                "\"event.reason\":\"" + forgery.reason() + "\"");
        assertThat(added).anySatisfy(line -> assertThat(line)
                .contains("\"event.action\":\"user.sign_in\"")
                .contains("\"event.reason\":\"" + forgery.reason() + "\""));
        assertThat(added).noneSatisfy(line -> assertThat(line).contains("\"event.outcome\":\"success\""));
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void theSameRequestWithEverythingRightSignsIn() throws Exception {
        // The control row: the forgeries above differ from this in one thing each.
        SignInGateway.LoginForm form = gateway.loginForm(RD);
        RawResponse answer = gateway.postLogin(form, "alice", SignInGateway.PASSWORD, RD, "");

        assertThat(answer.status()).isEqualTo(303);
        assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).isNotNull();
    }

    static Stream<Arguments> forgedSignOuts() {
        return Stream.of(
                // no csrf field
                Arguments.of(GOOD_HEADERS, false, false),
                // a wrong token (another session's is no better than a made-up one)
                Arguments.of(GOOD_HEADERS, true, true),
                // the right token from a foreign Origin
                Arguments.of("Origin: https://evil.test\r\nSec-Fetch-Site: cross-site\r\n", true, false),
                // the right token, Origin: null
                Arguments.of("Origin: null\r\n", true, false),
                // the right token, no Origin and no Sec-Fetch-Site
                Arguments.of("", true, false),
                // the right token from a protected host's page
                Arguments.of("Origin: https://app.test:PORT\r\nSec-Fetch-Site: same-site\r\n", true, false));
    }

    @ParameterizedTest
    @MethodSource("forgedSignOuts")
    void aForgedSignOutIsRefusedAndTheSessionGoesOn(String headers, boolean csrfField, boolean wrongToken)
            throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("bob", SignInGateway.BOB_PASSWORD,
                "https://app.test:" + gateway.port + "/work");
        SignInGateway.SignIn app = gateway.callback(portal.location());
        String token = accountToken(portal.cookie());
        String wrong = accountToken(gateway.signIn("bob", SignInGateway.BOB_PASSWORD, RD).cookie());
        String body = csrfField ? "csrf=" + SignInGateway.encode(wrongToken ? wrong : token) : "";

        RawResponse out = gateway.send("POST", "login.test", "/.portcullis/logout",
                headers.replace("ORIGIN", gateway.portalOrigin()).replace("PORT", Integer.toString(gateway.port))
                        + "Cookie: " + portal.cookie() + "\r\n", body);

        assertThat(out.status()).isEqualTo(403);
        assertThat(out.headers("Set-Cookie")).noneSatisfy(c -> assertThat(c).startsWith("__Host-portcullis=;"));
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
        assertThat(gateway.navigate("login.test", "/.portcullis/", portal.cookie()).bodyText())
                .contains("Bob Example");
        assertThat(gateway.navigate("app.test", "/work", app.cookie()).status()).isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(Duration.ofSeconds(5))).isNotNull();
    }

    private String accountToken(String portalCookie) throws Exception {
        RawResponse account = gateway.navigate("login.test", "/.portcullis/", portalCookie);
        assertThat(account.status()).isEqualTo(200);
        return account.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
    }
}
