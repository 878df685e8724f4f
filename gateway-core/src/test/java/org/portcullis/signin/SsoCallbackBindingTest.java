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
import org.portcullis.fixtures.RecordedRequest;

/**
 * Login CSRF through the single sign-on callback (SECURITY-RULES 25), through the real gateway with the portal
 * ({@code login.test}) and a protected host ({@code app.test}): an attacker signs in as bob, stops before following the
 * redirect, and gets alice's browser to open the callback link. Whatever alice's browser holds (nothing, its own state
 * cookie from app.test, its own session there), it is not signed in as bob, its own session goes on, and the upstream
 * never sees bob for it. The genuine flow, in the browser that started it, still signs in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoCallbackBindingTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);
    static final String SESSION = "__Host-portcullis";
    static final String STATE = "__Host-portcullis-sso";

    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
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

    String url(String path) {
        return "https://app.test:" + gateway.port + path;
    }

    /** What alice's browser holds on app.test when the attacker's link arrives. */
    enum Victim { NOTHING_AT_ALL, OWN_STATE_COOKIE, OWN_SESSION_AND_STATE }

    /** How the link reaches alice's browser: Fetch Metadata of the navigation. */
    static Stream<Arguments> victims() {
        return Stream.of(Victim.values()).flatMap(victim -> Stream.of(
                // a link on the attacker's page
                Arguments.of(victim, "Sec-Fetch-Site: cross-site\r\n"),
                // a link in an email (user-initiated)
                Arguments.of(victim, "Sec-Fetch-Site: none\r\n"),
                // an old browser without Fetch Metadata
                Arguments.of(victim, "")));
    }

    @ParameterizedTest
    @MethodSource("victims")
    void anAttackersCallbackLinkOpenedInAnotherBrowserSignsNobodyIn(Victim victim, String fetchSite)
            throws Exception {
        // alice's browser, on its own: its state cookie from app.test's challenge, maybe its own sign-in.
        String aliceCookies = "";
        if (victim != Victim.NOTHING_AT_ALL) {
            RawResponse challenge = gateway.navigate("app.test", "/mine", "");
            aliceCookies = SignInGateway.cookiePair(challenge, STATE);
            assertThat(aliceCookies).as("app.test's challenge sets the state cookie").isNotNull();
        }
        if (victim == Victim.OWN_SESSION_AND_STATE) {
            aliceCookies = aliceCookies + "; " + aliceSession(aliceCookies);
        }
        // The attacker (the default browser of the fixture) signs in as bob and keeps the callback link.
        String attackerLink = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, url("/attack")).location();
        assertThat(attackerLink).contains("/.portcullis/callback?code=");
        String target = attackerLink.substring(attackerLink.indexOf("/.portcullis/"));
        gateway.drainUpstream();

        RawResponse opened = gateway.send("GET", "app.test", target, "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\n"
                + fetchSite + SignInGateway.cookieHeader(aliceCookies), null);

        assertThat(opened.status()).isEqualTo(302);
        assertThat(opened.header("Location")).isEqualTo(gateway.portalOrigin() + "/.portcullis/login");
        assertThat(opened.headers("Set-Cookie")).as("no session set, none cleared")
                .noneSatisfy(c -> assertThat(c).startsWith(SESSION + "="));
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
        RawResponse next = gateway.navigate("app.test", "/attack", aliceCookies);
        if (victim == Victim.OWN_SESSION_AND_STATE) {
            assertThat(next.status()).as("alice's own session goes on").isEqualTo(200);
            RecordedRequest received = gateway.upstream.takeRequest(WAIT);
            assertThat(received.headers("Remote-User")).containsExactly("alice");
        } else {
            assertThat(next.status()).as("still signed out").isEqualTo(302);
            assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
        }
        // The link was used up: the attacker's own browser cannot use it either.
        RawResponse again = gateway.navigate("app.test", target, gateway.hostState("app.test"));
        assertThat(SignInGateway.cookiePair(again, SESSION)).isNull();
    }

    @Test
    void theBrowserThatStartedTheSignInCompletesItAndTheUpstreamSeesItsUser() throws Exception {
        // A browser opens app.test, is sent to the portal with a state, signs in and follows the redirect.
        RawResponse challenge = gateway.navigate("app.test", "/records/7", "");
        assertThat(challenge.status()).isEqualTo(302);
        String state = SignInGateway.cookiePair(challenge, STATE);
        assertThat(challenge.headers("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(STATE + "=").endsWith("; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=900"));
        String login = challenge.header("Location");
        assertThat(login).startsWith(gateway.portalOrigin() + "/.portcullis/login?rd=").contains("&state=");
        assertThat(login).as("the URL carries the binding, never the nonce")
                .doesNotContain(state.substring(STATE.length() + 1));

        RawResponse form = gateway.navigate("login.test", login.substring(gateway.portalOrigin().length()), "");
        String flows = SignInGateway.cookiePair(form, "__Host-portcullis-sso-flows");
        assertThat(flows).startsWith("__Host-portcullis-sso-flows=app.test:");
        String token = form.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        RawResponse signedIn = gateway.send("POST", "login.test", "/.portcullis/login", "Origin: "
                + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: "
                + SignInGateway.cookiePair(form, "__Host-portcullis-csrf") + "; " + flows + "\r\n",
                "username=alice&password=" + SignInGateway.encode(SignInGateway.PASSWORD) + "&csrf="
                        + SignInGateway.encode(token) + "&rd=" + SignInGateway.encode(url("/records/7")));
        assertThat(signedIn.status()).isEqualTo(303);
        String link = signedIn.header("Location");
        assertThat(link).startsWith(url("/.portcullis/callback?code="));

        RawResponse callback = gateway.send("GET", "app.test", link.substring(link.indexOf("/.portcullis/")),
                "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Site: cross-site\r\nCookie: " + state
                        + "\r\n", null);

        assertThat(callback.status()).isEqualTo(302);
        assertThat(callback.header("Location")).isEqualTo("/records/7");
        String session = SignInGateway.cookiePair(callback, SESSION);
        assertThat(session).isNotNull();
        assertThat(gateway.navigate("app.test", "/records/7", session).status()).isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(WAIT).headers("Remote-User")).containsExactly("alice");
    }

    @Test
    void aSignedInPortalContinuesWithACodeBoundToTheStateOfTheHostsRedirect() throws Exception {
        String portal = gateway.signIn("alice", SignInGateway.PASSWORD, "/.portcullis/").cookie();
        RawResponse challenge = gateway.navigate("app.test", "/x", "");
        String state = SignInGateway.cookiePair(challenge, STATE);

        RawResponse continued = gateway.navigate("login.test",
                challenge.header("Location").substring(gateway.portalOrigin().length()), portal);
        String target = continued.header("Location").substring(continued.header("Location").indexOf("/.portcullis/"));

        RawResponse elsewhere = gateway.navigate("app.test", target, gateway.hostState("app.test"));
        assertThat(SignInGateway.cookiePair(elsewhere, SESSION)).as("another browser's state cookie").isNull();
        RawResponse again = gateway.navigate("login.test",
                challenge.header("Location").substring(gateway.portalOrigin().length()), portal);
        String second = again.header("Location").substring(again.header("Location").indexOf("/.portcullis/"));
        RawResponse own = gateway.navigate("app.test", second, state);
        assertThat(own.header("Location")).isEqualTo("/x");
        assertThat(SignInGateway.cookiePair(own, SESSION)).isNotNull();
    }

    @Test
    void aPortalWithoutTheBrowsersStateSendsItToTheHostFirstInsteadOfIssuingAnUnboundCode() throws Exception {
        String portal = gateway.signIn("alice", SignInGateway.PASSWORD, "/.portcullis/").cookie();

        RawResponse continued = gateway.navigate("login.test", "/.portcullis/login?rd="
                + SignInGateway.encode(url("/y")), portal);

        assertThat(continued.status()).isEqualTo(303);
        assertThat(continued.header("Location")).isEqualTo(url("/y"));
    }

    @Test
    void aStateCookieTheBrowserHasIsKeptSoTwoTabsBothComplete() throws Exception {
        RawResponse first = gateway.navigate("app.test", "/one", "");
        String state = SignInGateway.cookiePair(first, STATE);

        RawResponse second = gateway.navigate("app.test", "/two", state);

        assertThat(SignInGateway.cookiePair(second, STATE)).isEqualTo(state);
        assertThat(second.header("Location")).isNotEqualTo(first.header("Location"));
        assertThat(stateParam(second)).isEqualTo(stateParam(first));
    }

    @Test
    void anUpstreamCannotSetTheStateCookieAndNeverSeesIt() throws Exception {
        String session = aliceSession("");
        String state = gateway.hostState("app.test");
        gateway.drainUpstream();

        RawResponse answer = gateway.navigate("app.test", "/response-headers?Set-Cookie=" + STATE + "%3D"
                + "A".repeat(43), session + "; " + state);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers("Set-Cookie")).noneSatisfy(c -> assertThat(c).startsWith(STATE));
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.headers("Cookie")).noneSatisfy(c -> assertThat(c).contains(STATE));
    }

    private static String stateParam(RawResponse challenge) {
        return challenge.header("Location").replaceAll(".*[?&]state=([A-Za-z0-9_-]+).*", "$1");
    }

    /** Signs alice in with her own browser holding {@code stateCookie} ("" to take the fixture's). */
    private String aliceSession(String stateCookie) throws Exception {
        if (stateCookie.isEmpty()) {
            return gateway.callback(gateway.signIn("alice", SignInGateway.PASSWORD, url("/mine")).location())
                    .cookie();
        }
        String portal = gateway.signIn("alice", SignInGateway.PASSWORD, "/.portcullis/").cookie();
        RawResponse challenge = gateway.navigate("app.test", "/mine", stateCookie);
        RawResponse continued = gateway.navigate("login.test",
                challenge.header("Location").substring(gateway.portalOrigin().length()), portal);
        String link = continued.header("Location");
        RawResponse callback = gateway.navigate("app.test", link.substring(link.indexOf("/.portcullis/")),
                stateCookie);
        String session = SignInGateway.cookiePair(callback, SESSION);
        assertThat(session).as("alice's own sign-in on app.test").isNotNull();
        return session;
    }

}
