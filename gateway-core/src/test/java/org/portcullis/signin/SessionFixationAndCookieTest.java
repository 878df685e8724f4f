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
 * Session fixation, cookie tossing, a hostile upstream setting the gateway's cookie, and callback code abuse, through
 * the real gateway (SECURITY-RULES 11, 16; issue "Sign-in" §3, §4): a cookie the browser had before sign-in never
 * becomes the signed-in session, and a callback code works once, on its own host, for 30 seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionFixationAndCookieTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);
    static final String COOKIE = "__Host-portcullis";
    /** 43 characters of base64url, the shape of a real session id (32 random bytes). */
    static final String MADE_UP_ID = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

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

    /** Whether the portal treats {@code cookie} as signed in: it then continues at once instead of showing a form. */
    boolean portalSignedIn(String cookie) throws Exception {
        return gateway.navigate("login.test", "/.portcullis/login?rd=%2F.portcullis%2F", cookie).status() == 303;
    }

    @Test
    void aRealSessionTheBrowserBroughtAlongIsEndedAndNeverBecomesTheNewOne() throws Exception {
        // An attacker signed in as bob and planted bob's portal cookie in alice's browser.
        String planted = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "/.portcullis/").cookie();
        assertThat(portalSignedIn(planted)).isTrue();
        SignInGateway.LoginForm form = gateway.loginForm("/.portcullis/");

        RawResponse answer = gateway.postLogin(form, "alice", SignInGateway.PASSWORD, "/.portcullis/", planted);

        assertThat(answer.status()).isEqualTo(303);
        String fresh = SignInGateway.cookiePair(answer, COOKIE);
        assertThat(fresh).isNotNull().isNotEqualTo(planted);
        assertThat(portalSignedIn(planted)).as("the planted session ended").isFalse();
        assertThat(gateway.navigate("login.test", "/.portcullis/", fresh).bodyText()).contains("Alice Example");
    }

    @Test
    void aMadeUpWellFormedIdIsReplacedAndStaysUseless() throws Exception {
        String madeUp = COOKIE + "=" + MADE_UP_ID;
        SignInGateway.LoginForm form = gateway.loginForm("/.portcullis/");

        RawResponse answer = gateway.postLogin(form, "alice", SignInGateway.PASSWORD, "/.portcullis/", madeUp);

        assertThat(answer.status()).isEqualTo(303);
        assertThat(SignInGateway.cookiePair(answer, COOKIE)).isNotNull().isNotEqualTo(madeUp);
        assertThat(portalSignedIn(madeUp)).isFalse();
        RawResponse app = gateway.navigate("app.test", "/x", madeUp);
        assertThat(app.status()).isEqualTo(302);
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void aHostSessionBroughtToTheCallbackIsEndedToo() throws Exception {
        // Fixation on a protected host: bob's app.test cookie planted in the browser that now completes alice's callback.
        SignInGateway.SignIn bob = gateway.callback(gateway.signIn("bob", SignInGateway.BOB_PASSWORD,
                rd("app.test", "/x")).location());
        String aliceCallback = gateway.signIn("alice", SignInGateway.PASSWORD, rd("app.test", "/x")).location();
        String target = aliceCallback.substring(aliceCallback.indexOf("/.portcullis/"));

        RawResponse answer = gateway.navigate("app.test", target, bob.cookie() + "; " + gateway.hostState("app.test"));

        assertThat(answer.status()).isEqualTo(302);
        String fresh = SignInGateway.cookiePair(answer, COOKIE);
        assertThat(fresh).isNotNull().isNotEqualTo(bob.cookie());
        assertThat(gateway.navigate("app.test", "/x", bob.cookie()).status()).isEqualTo(302);
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void twoSessionCookiesAreTreatedAsSignedOutAndNeitherReachesTheUpstream() throws Exception {
        SignInGateway.SignIn app = gateway.callback(gateway.signIn("alice", SignInGateway.PASSWORD,
                rd("app.test", "/x")).location());
        assertThat(gateway.navigate("app.test", "/x", app.cookie()).status()).isEqualTo(200);
        drain();

        // Cookie tossing: a sibling subdomain sets a second __Host-portcullis; which one a server reads is a guess.
        RawResponse tossedFirst = gateway.navigate("app.test", "/x", COOKIE + "=" + MADE_UP_ID + "; " + app.cookie());
        RawResponse tossedLast = gateway.navigate("app.test", "/x", app.cookie() + "; " + COOKIE + "=" + MADE_UP_ID);
        RawResponse twoHeaders = gateway.send("GET", "app.test", "/x", "Accept: text/html\r\nCookie: "
                + app.cookie() + "\r\nCookie: " + COOKIE + "=" + MADE_UP_ID + "\r\n", null);

        assertThat(tossedFirst.status()).isEqualTo(302);
        assertThat(tossedLast.status()).isEqualTo(302);
        assertThat(twoHeaders.status()).isIn(302, 400);
        assertThat(tossedFirst.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/login");
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
        assertThat(gateway.navigate("app.test", "/x", app.cookie()).status()).as("the real one still works")
                .isEqualTo(200);
    }

    @Test
    void anUpstreamCannotSetTheGatewaysCookie() throws Exception {
        SignInGateway.SignIn app = gateway.callback(gateway.signIn("alice", SignInGateway.PASSWORD,
                rd("app.test", "/x")).location());

        // The echo upstream answers each query parameter as a response header.
        RawResponse answer = gateway.navigate("app.test", "/response-headers?Set-Cookie=" + COOKIE
                + "%3D" + MADE_UP_ID + "&Set-Cookie=" + COOKIE + "-csrf%3Dx&Set-Cookie=theme%3Ddark", app.cookie());

        assertThat(answer.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).startsWith("GET /response-headers?");
        assertThat(answer.headers("Set-Cookie")).noneSatisfy(c -> assertThat(c).startsWith(COOKIE));
        assertThat(answer.headers("Set-Cookie")).as("the upstream's own cookie in the same answer passes")
                .containsExactly("theme=dark");
        assertThat(gateway.navigate("app.test", "/x", app.cookie()).status()).isEqualTo(200);
    }

    @Test
    void anUpstreamsOwnCookiesStillReachTheBrowser() throws Exception {
        // The control for the test above: only the gateway's cookie family is withheld.
        SignInGateway.SignIn app = gateway.callback(gateway.signIn("alice", SignInGateway.PASSWORD,
                rd("app.test", "/x")).location());

        RawResponse answer = gateway.navigate("app.test", "/response-headers?Set-Cookie=theme%3Ddark",
                app.cookie());

        assertThat(answer.headers("Set-Cookie")).contains("theme=dark");
    }

    @Test
    void aCallbackCodeWorksOnce() throws Exception {
        String callback = gateway.signIn("alice", SignInGateway.PASSWORD, rd("app.test", "/x")).location();
        gateway.callback(callback);
        String target = callback.substring(callback.indexOf("/.portcullis/"));

        RawResponse replay = gateway.navigate("app.test", target, gateway.hostState("app.test"));

        assertThat(replay.status()).isEqualTo(302);
        assertThat(replay.header("Location")).isEqualTo(gateway.portalOrigin() + "/.portcullis/login");
        assertThat(SignInGateway.cookiePair(replay, COOKIE)).isNull();
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void aCodeForOneHostIsRefusedOnAnother() throws Exception {
        String callback = gateway.signIn("alice", SignInGateway.PASSWORD, rd("app.test", "/x")).location();
        String target = callback.substring(callback.indexOf("/.portcullis/"));

        RawResponse elsewhere = gateway.navigate("other.test", target, "");

        assertThat(elsewhere.status()).isEqualTo(302);
        assertThat(elsewhere.header("Location")).isEqualTo(gateway.portalOrigin() + "/.portcullis/login");
        assertThat(SignInGateway.cookiePair(elsewhere, COOKIE)).isNull();
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void aCodeOlderThanThirtySecondsIsRefused() throws Exception {
        String callback = gateway.signIn("alice", SignInGateway.PASSWORD, rd("app.test", "/x")).location();
        String target = callback.substring(callback.indexOf("/.portcullis/"));
        clock.advance(Duration.ofSeconds(31));

        RawResponse late = gateway.navigate("app.test", target, gateway.hostState("app.test"));

        assertThat(late.status()).isEqualTo(302);
        assertThat(late.header("Location")).isEqualTo(gateway.portalOrigin() + "/.portcullis/login");
        assertThat(SignInGateway.cookiePair(late, COOKIE)).isNull();
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }
}
