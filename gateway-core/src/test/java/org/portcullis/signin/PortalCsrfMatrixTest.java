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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;

/**
 * Every state-changing portal endpoint × every forgery of SECURITY-RULES 17, through the real gateway: each forged
 * request is refused with 403 (a GET in place of the POST changes nothing either), the refusal is audited as a CSRF
 * refusal, no session is set, rotated or ended, and nothing reaches an upstream. The control row (everything right)
 * shows the same request otherwise gets through the CSRF check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalCsrfMatrixTest {
    static final Duration NOTHING = Duration.ofMillis(200);
    static final String SESSION = "__Host-portcullis";
    static final String JSON = "{}";

    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    SignInGateway gateway;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        // Passwordless on, so the passkey endpoints exist.
        gateway = SignInGateway.start(dir, clock, SignInGateway.POLICY, """
                webauthn:
                  passwordless: true
                """);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @BeforeEach
    void drain() {
        gateway.drainUpstream();
    }

    /** How an endpoint takes its token: a form field or a header, against the login cookie or the session. */
    enum Kind { LOGIN_FORM, LOGIN_JSON, SESSION_FORM, SESSION_JSON }

    /** One state-changing endpoint: its path, how it is checked, and a body that would change something. */
    record Endpoint(String path, Kind kind, String body) {
        boolean json() {
            return kind == Kind.LOGIN_JSON || kind == Kind.SESSION_JSON;
        }

        boolean session() {
            return kind == Kind.SESSION_FORM || kind == Kind.SESSION_JSON;
        }

        @Override
        public String toString() {
            return path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/.portcullis/login", Kind.LOGIN_FORM, "username=bob&password="
                    + SignInGateway.encode(SignInGateway.BOB_PASSWORD) + "&rd=%2F.portcullis%2F"),
            new Endpoint("/.portcullis/webauthn/passkey/options", Kind.LOGIN_JSON, JSON),
            new Endpoint("/.portcullis/webauthn/passkey", Kind.LOGIN_JSON, JSON),
            new Endpoint("/.portcullis/logout", Kind.SESSION_FORM, ""),
            new Endpoint("/.portcullis/second-factor", Kind.SESSION_FORM, "code=123456"),
            new Endpoint("/.portcullis/enrol", Kind.SESSION_FORM, "step=invitation&invitation=WRONG-CODE"),
            new Endpoint("/.portcullis/factors", Kind.SESSION_FORM, "action=recovery_codes"),
            new Endpoint("/.portcullis/security-key", Kind.SESSION_FORM, "step=invitation&invitation=WRONG-CODE"),
            new Endpoint("/.portcullis/recovery-codes.txt", Kind.SESSION_FORM, "codes=ABCDE-FGHJK"),
            new Endpoint("/.portcullis/webauthn/authenticate/options", Kind.SESSION_JSON, JSON),
            new Endpoint("/.portcullis/webauthn/authenticate", Kind.SESSION_JSON, JSON),
            new Endpoint("/.portcullis/webauthn/register/options", Kind.SESSION_JSON, JSON),
            new Endpoint("/.portcullis/webauthn/register", Kind.SESSION_JSON, JSON),
            // Opening a remote desktop issues a single-use access token (an .rdp file) for the session.
            new Endpoint("/.portcullis/desktops", Kind.SESSION_FORM, "desktop=server-room"),
            new Endpoint("/.portcullis/ssh/approve", Kind.SESSION_FORM, "c=AAAAAAAAAAAAAAAAAAAAAA&decision=approve"),
            new Endpoint("/.portcullis/connect/device-approve", Kind.SESSION_FORM,
                    "user_code=BCDF-GHJK&decision=approve"));

    /** What a forgery changes in the otherwise right request. */
    enum Forgery {
        /** The control: nothing forged. */
        NONE,
        MISSING_TOKEN, WRONG_TOKEN, TOKEN_OF_ANOTHER_SESSION, CROSS_SITE_ORIGIN, NULL_ORIGIN,
        FETCH_SITE_CROSS_SITE, NO_ORIGIN_NOR_FETCH_SITE, SAME_SITE_SIBLING, GET_INSTEAD_OF_POST
    }

    static Stream<Arguments> matrix() {
        return ENDPOINTS.stream().flatMap(endpoint -> Stream.of(Forgery.values()).filter(f -> f != Forgery.NONE)
                .map(forgery -> Arguments.of(endpoint, forgery)));
    }

    /** The browser's state before the request: cookies and the right token. */
    record Browser(String cookies, String token, String otherToken, String sessionCookie) {
    }

    Browser browser(Endpoint endpoint) throws Exception {
        if (!endpoint.session()) {
            SignInGateway.LoginForm mine = gateway.loginForm("/.portcullis/");
            SignInGateway.LoginForm other = gateway.loginForm("/.portcullis/");
            return new Browser(mine.cookie(), mine.token(), other.token(), null);
        }
        int before = gateway.auditLines().size();
        String bob = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "/.portcullis/").cookie();
        String alice = gateway.signIn("alice", SignInGateway.PASSWORD, "/.portcullis/").cookie();
        // The sign-ins' own audit events are written asynchronously: wait for them, so none lands among the
        // forged request's events and reads as a success.
        gateway.awaitAuditLine(before, "\"event.action\":\"session.create\"", "\"user.name\":\"alice\"");
        return new Browser(bob, accountToken(bob), accountToken(alice), bob);
    }

    RawResponse send(Endpoint endpoint, Browser browser, Forgery forgery) throws Exception {
        String token = switch (forgery) {
            case MISSING_TOKEN -> null;
            case WRONG_TOKEN -> "A".repeat(43);
            case TOKEN_OF_ANOTHER_SESSION -> browser.otherToken();
            default -> browser.token();
        };
        String origin = switch (forgery) {
            case CROSS_SITE_ORIGIN -> "Origin: https://evil.test\r\nSec-Fetch-Site: cross-site\r\n";
            case NULL_ORIGIN -> "Origin: null\r\n";
            case FETCH_SITE_CROSS_SITE -> "Origin: " + gateway.portalOrigin() + "\r\nSec-Fetch-Site: cross-site\r\n";
            case NO_ORIGIN_NOR_FETCH_SITE -> "";
            case SAME_SITE_SIBLING -> "Origin: https://app.test:" + gateway.port + "\r\nSec-Fetch-Site: same-site\r\n";
            default -> "Origin: " + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\n";
        };
        String cookie = "Cookie: " + browser.cookies() + "\r\n";
        if (forgery == Forgery.GET_INSTEAD_OF_POST) {
            String query = endpoint.json() ? "" : "?" + endpoint.body() + "&csrf=" + SignInGateway.encode(token);
            return gateway.send("GET", "login.test", endpoint.path() + query, origin + cookie
                    + "Accept: text/html\r\n", null);
        }
        if (endpoint.json()) {
            String header = token == null ? "" : "X-CSRF-Token: " + token + "\r\n";
            return gateway.sendJson("login.test", endpoint.path(), origin + cookie + header, endpoint.body());
        }
        String field = token == null ? "" : (endpoint.body().isEmpty() ? "" : "&") + "csrf="
                + SignInGateway.encode(token);
        return gateway.send("POST", "login.test", endpoint.path(), origin + cookie, endpoint.body() + field);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void aForgedRequestIsRefusedAndChangesNothing(Endpoint endpoint, Forgery forgery) throws Exception {
        Browser browser = browser(endpoint);
        int auditBefore = gateway.auditLines().size();

        RawResponse answer = send(endpoint, browser, forgery);

        if (forgery == Forgery.GET_INSTEAD_OF_POST) {
            // A page or 405, never the change: no session set, nothing ended (checked below).
            // (The SSH and device-code approval pages read their code from the query: an unknown one, or the device
            // code while it is off, is a 404 page.)
            assertThat(answer.status()).isIn(200, 302, 303, 405, endpoint.path().equals("/.portcullis/ssh/approve")
                    || endpoint.path().equals("/.portcullis/connect/device-approve") ? 404 : 405);
            assertThat(answer.bodyText()).doesNotContain("recovery code");
        } else {
            assertThat(answer.status()).isEqualTo(403);
            if (endpoint.json()) {
                assertThat(answer.bodyText()).contains("\"error\":\"csrf\"");
            }
            List<String> added = gateway.awaitAuditLine(auditBefore, "csrf");
            assertThat(added).anySatisfy(line -> assertThat(line).contains("\"event.outcome\":\"failure\"")
                    .containsPattern("\"event.reason\":\"(passkey_)?csrf"));
            // Everything the forged request caused, by its request id: the trail is written off the request path,
            // so lines of the set-up's sign-ins can land after auditBefore was counted.
            String forged = requestId(added.stream().filter(line -> line.contains("\"event.reason\":\"")
                    && line.matches(".*\"event.reason\":\"(passkey_)?csrf.*")).findFirst().orElseThrow());
            assertThat(added).filteredOn(line -> line.contains("\"request.id\":\"" + forged + "\"")).isNotEmpty()
                    .noneSatisfy(line -> assertThat(line).contains("\"event.outcome\":\"success\""));
        }
        assertThat(answer.headers("Set-Cookie")).as("no session set, rotated or ended")
                .noneSatisfy(c -> assertThat(c).startsWith(SESSION + "="));
        if (browser.sessionCookie() != null) {
            RawResponse account = gateway.navigate("login.test", "/.portcullis/", browser.sessionCookie());
            assertThat(account.status()).as("the session goes on").isEqualTo(200);
            assertThat(account.bodyText()).contains("Bob Example");
            assertThat(accountToken(browser.sessionCookie())).as("and keeps its token").isEqualTo(browser.token());
        }
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    static Stream<Arguments> endpoints() {
        return ENDPOINTS.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void theSameRequestWithEverythingRightPassesTheCsrfCheck(Endpoint endpoint) throws Exception {
        Browser browser = browser(endpoint);
        int auditBefore = gateway.auditLines().size();

        RawResponse answer = send(endpoint, browser, Forgery.NONE);

        assertThat(answer.bodyText()).doesNotContain("\"error\":\"csrf\"");
        // The endpoint itself answered: its own audit event (or the sign-in) and no CSRF refusal among them.
        List<String> added = gateway.awaitAuditLine(auditBefore, "\"event.outcome\"");
        assertThat(added).noneSatisfy(line -> assertThat(line).containsPattern("\"event.reason\":\"(passkey_)?csrf"));
        if (endpoint.kind() == Kind.LOGIN_FORM) {
            assertThat(answer.status()).isEqualTo(303);
        }
    }

    static Stream<Arguments> undeclared() {
        return Stream.of(
                // a POST to a page that only reads
                Arguments.of("POST", "/.portcullis/", 405),
                Arguments.of("POST", "/.portcullis", 405),
                Arguments.of("POST", "/.portcullis/webauthn.js", 405),
                // a read of a script-only call
                Arguments.of("GET", "/.portcullis/webauthn/register", 405),
                // other methods on a form
                Arguments.of("PUT", "/.portcullis/logout", 405),
                Arguments.of("DELETE", "/.portcullis/factors", 405),
                // paths no route declares
                Arguments.of("POST", "/.portcullis/admin", 404),
                Arguments.of("POST", "/.portcullis/logout/", 404),
                Arguments.of("POST", "/.portcullis/webauthn", 404));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("undeclared")
    void aRequestNoRouteDeclaresIsRefusedBeforeAnyEndpoint(String method, String path, int status) throws Exception {
        String bob = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "/.portcullis/").cookie();
        String token = accountToken(bob);

        RawResponse answer = gateway.send(method, "login.test", path, "Origin: " + gateway.portalOrigin()
                + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + bob + "\r\n", "csrf="
                + SignInGateway.encode(token));

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.headers("Set-Cookie")).noneSatisfy(c -> assertThat(c).startsWith(SESSION + "="));
        assertThat(accountToken(bob)).as("the session goes on").isEqualTo(token);
    }

    private String accountToken(String portalCookie) throws Exception {
        RawResponse account = gateway.navigate("login.test", "/.portcullis/", portalCookie);
        assertThat(account.status()).isEqualTo(200);
        return account.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
    }

    private static String requestId(String auditLine) {
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"request.id\":\"([^\"]+)\"").matcher(auditLine);
        assertThat(id.find()).as("a request id in " + auditLine).isTrue();
        return id.group(1);
    }
}
