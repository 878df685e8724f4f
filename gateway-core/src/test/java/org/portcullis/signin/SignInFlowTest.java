package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Sign-in end to end over raw TLS sockets (issue "Sign-in" §2, §3): protected URL → portal → sign-in → callback →
 * original URL; single sign-on on a second host; sign-out ending both; what upstreams see. Time is a
 * {@link MutableClock}, moved instead of slept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInFlowTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);

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

    String rd(String host, String target) {
        return "https://" + host + ":" + gateway.port + target;
    }

    @Test
    void aBrowserWithoutASessionIsSentToThePortalWithItsUrl() throws Exception {
        RawResponse answer = gateway.navigate("app.test", "/records/42?tab=notes", "");

        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/login?rd="
                + SignInGateway.encode(rd("app.test", "/records/42?tab=notes")) + "&state=");
        assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis-sso")).as("the SSO state of this browser")
                .isNotNull();
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void anApiCallWithoutASessionGets401JsonNeverARedirect() throws Exception {
        RawResponse answer = gateway.send("GET", "app.test", "/api/records", "Accept: application/json\r\n", null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Location")).isNull();
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.bodyText()).contains("\"error\":\"sign_in_required\"");
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void signInThenCallbackLeadsBackToTheOriginalUrlAndTheUpstreamNeverSeesTheCookie() throws Exception {
        String original = rd("app.test", "/records/42?tab=notes");
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD, original);
        assertThat(portal.cookie()).startsWith("__Host-portcullis=");
        assertThat(portal.location()).startsWith("https://app.test:" + gateway.port + "/.portcullis/callback?code=");

        SignInGateway.SignIn host = gateway.callback(portal.location());
        assertThat(host.location()).isEqualTo("/records/42?tab=notes");
        assertThat(host.cookie()).as("the host gets its own session, not the portal's").isNotEqualTo(portal.cookie());

        RawResponse page = gateway.navigate("app.test", "/records/42?tab=notes", host.cookie() + "; theme=dark");
        assertThat(page.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /records/42?tab=notes HTTP/1.1");
        assertThat(received.headers("Cookie")).containsExactly("theme=dark");
    }

    @Test
    void oneSignInServesTheSecondHostAndSignOutEndsBoth() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD, rd("app.test", "/a"));
        SignInGateway.SignIn app = gateway.callback(portal.location());

        // other.test: the browser is sent to the portal, which already knows it and continues without a password.
        RawResponse toPortal = gateway.navigate("other.test", "/b", "");
        assertThat(toPortal.status()).isEqualTo(302);
        gateway.keepState("other.test", toPortal);
        String login = toPortal.header("Location").substring(gateway.portalOrigin().length());
        RawResponse continued = gateway.navigate("login.test", login, portal.cookie());
        assertThat(continued.status()).isEqualTo(303);
        assertThat(continued.header("Location")).startsWith("https://other.test:" + gateway.port
                + "/.portcullis/callback?code=");
        SignInGateway.SignIn other = gateway.callback(continued.header("Location"));
        assertThat(gateway.navigate("other.test", "/b", other.cookie()).status()).isEqualTo(200);
        assertThat(gateway.navigate("app.test", "/a", app.cookie()).status()).isEqualTo(200);

        // Sign out at the portal, with the token from the account page.
        RawResponse account = gateway.navigate("login.test", "/.portcullis/", portal.cookie());
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.bodyText()).contains("Alice Example");
        String token = account.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        RawResponse out = gateway.send("POST", "login.test", "/.portcullis/logout", "Origin: "
                + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + portal.cookie() + "\r\n",
                "csrf=" + SignInGateway.encode(token));
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("__Host-portcullis=;"));

        drain();
        assertThat(gateway.navigate("app.test", "/a", app.cookie()).status()).isEqualTo(302);
        assertThat(gateway.navigate("other.test", "/b", other.cookie()).status()).isEqualTo(302);
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing forwarded after sign-out").isNull();
    }

    @Test
    void aWrongPasswordSetsNoSessionAndSaysOnlyThatSignInFailed() throws Exception {
        SignInGateway.LoginForm form = gateway.loginForm(rd("app.test", "/"));
        RawResponse answer = gateway.postLogin(form, "bob", "not bob's password", rd("app.test", "/"), "");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).isNull();
        assertThat(answer.bodyText()).contains("role=\"alert\"");
    }

    @Test
    void anIdleSessionEndsAfterThirtyMinutesOfTheInjectedClock() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, rd("app.test", "/x"));
        SignInGateway.SignIn app = gateway.callback(portal.location());
        assertThat(gateway.navigate("app.test", "/x", app.cookie()).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(31));
        RawResponse expired = gateway.navigate("app.test", "/x", app.cookie());
        assertThat(expired.status()).isEqualTo(302);
        assertThat(expired.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("__Host-portcullis=;"));
        assertThat(gateway.awaitAuditLine(0, "\"event.action\":\"session.expire\"", "idle_timeout"))
                .anyMatch(line -> line.contains("\"event.action\":\"session.expire\"")
                        && line.contains("\"event.reason\":\"idle_timeout\"")
                        && line.contains("\"url.domain\":\"app.test\""));
    }

    @Test
    void theUpstreamGetsTheGatewaysIdentityHeadersAndNeverTheClientsCopies() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("Alice@Example.org", SignInGateway.PASSWORD, rd("app.test", "/id"));
        SignInGateway.SignIn app = gateway.callback(portal.location());

        RawResponse page = gateway.send("GET", "app.test", "/id", "Cookie: " + app.cookie() + "\r\nRemote-User: admin\r\n"
                + "remote_groups: root\r\nREMOTE-USER: admin\r\nX-Forwarded-User: admin\r\nRemote-Email: x@evil.test\r\n",
                null);

        assertThat(page.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.headers("Remote-User")).containsExactly("alice");
        assertThat(received.headers("Remote-Groups")).containsExactly("staff,clinicians");
        assertThat(received.headers("Remote-Name")).containsExactly("Alice Example");
        assertThat(received.headers("Remote-Email")).containsExactly("alice@example.org");
        assertThat(received.headers("remote_groups")).isEmpty();
        assertThat(received.headers("X-Forwarded-User")).isEmpty();
    }

    @Test
    void aBypassedRequestCarriesNoIdentityEvenForASignedInUser() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD, rd("app.test", "/public/x"));
        SignInGateway.SignIn app = gateway.callback(portal.location());

        RawResponse page = gateway.send("GET", "app.test", "/public/x", "Cookie: " + app.cookie()
                + "\r\nRemote-User: admin\r\n", null);

        assertThat(page.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.headers("Remote-User")).isEmpty();
        assertThat(received.headers("Cookie")).isEmpty();
    }

    @Test
    void theJwtAssertionVerifiesWithTheServedJwks() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD, rd("other.test", "/jwt"));
        SignInGateway.SignIn other = gateway.callback(portal.location());
        RawResponse page = gateway.send("GET", "other.test", "/jwt", "Cookie: " + other.cookie()
                + "\r\nX-Portcullis-Assertion: forged\r\n", null);
        assertThat(page.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.headers("X-Forwarded-User")).containsExactly("alice");
        assertThat(received.headers("Remote-User")).isEmpty();
        String token = received.header("X-Portcullis-Assertion");

        RawResponse jwks = gateway.send("GET", "app.test", "/.well-known/portcullis/jwks.json", "", null);
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.header("Content-Type")).isEqualTo("application/jwk-set+json");
        com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(token);
        com.nimbusds.jose.jwk.ECKey key = com.nimbusds.jose.jwk.JWKSet.parse(jwks.bodyText())
                .getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey();
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key))).isTrue();
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("other.test");
        assertThat(claims.getIssuer()).isEqualTo(gateway.portalOrigin());
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isLessThanOrEqualTo(60_000);
    }

    @Test
    void portalAnswersLeaveAKeptAliveConnectionReadyForTheNextRequest() throws Exception {
        try (var client = org.portcullis.fixtures.RawHttpClient.connectTls(gateway.port, gateway.certs, "login.test")) {
            String host = "Host: login.test:" + gateway.port + "\r\n";
            client.send("GET /.portcullis/login HTTP/1.1\r\n" + host + "\r\n");
            RawResponse first = client.readResponse(WAIT);
            client.send("GET /.portcullis/ HTTP/1.1\r\n" + host + "\r\n");
            RawResponse second = client.readResponse(WAIT);
            client.send("GET /elsewhere HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
            RawResponse third = client.readResponse(WAIT);

            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).as("home without a session leads to sign-in").isEqualTo(303);
            assertThat(third.status()).as("the portal host's other paths lead home").isEqualTo(302);
        }
        assertThat(gateway.auditLines()).noneMatch(line -> line.contains("STRAY_CONTENT"));
    }

    @Test
    void anAbsurdlyLongLoginIsRefusedWithoutAHashAndNeverCounted() throws Exception {
        String login = "a".repeat(300) + "@example.org";
        SignInGateway.LoginForm form = gateway.loginForm(rd("app.test", "/"));
        RawResponse answer = gateway.postLogin(form, login, "whatever", rd("app.test", "/"), "");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).isNull();
        assertThat(gateway.awaitAuditLine(0, "login_too_long")).anyMatch(line -> line.contains("login_too_long"));
        assertThat(gateway.auditLines()).noneMatch(line -> line.contains(login));
    }
}
