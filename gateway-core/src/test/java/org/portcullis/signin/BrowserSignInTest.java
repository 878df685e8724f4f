package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserCookie;
import org.portcullis.browser.BrowserRequirement;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.portal.page.PortalMessages;

/**
 * Sign-in as a real user's Chromium experiences it (issue "Sign-in" §7): redirects, the login form filled by its
 * labels, the callback, single sign-on on a second host, the account page and sign-out, the session cookie's
 * attributes as the browser stored them, and a wrong password. One gateway and one browser for the class; the tests
 * are one user's story, so they run in order and each starts where the previous one left the browser.
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(30)
class BrowserSignInTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SESSION_COOKIE = "__Host-portcullis";
    private static final String LOGIN_PATH = "/.portcullis/login";

    private SignInGateway gateway;
    private Browser browser;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, Clock.systemUTC());
        browser = Browser.start(gateway.certs);
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    private String url(String host, String target) {
        return "https://" + host + ":" + gateway.port + target;
    }

    private String loginPage() {
        return gateway.portalOrigin() + LOGIN_PATH;
    }

    @Test
    @Order(1)
    void aProtectedUrlLeadsThroughTheLoginFormBackToItselfAndTheUpstreamNeverSeesTheSessionCookie() {
        String original = url("app.test", "/records?x=1");
        browser.open(original);
        assertThat(browser.currentUrl()).startsWith(loginPage());
        assertThat(browser.title()).contains(PortalMessages.SIGN_IN_TITLE);

        browser.fill(PortalMessages.USERNAME_LABEL, "alice")
                .fill(PortalMessages.PASSWORD_LABEL, SignInGateway.PASSWORD)
                .submit();

        browser.awaitUrl(original::equals, original);
        assertThat(browser.responseStatus()).isEqualTo(200);
        assertThat(browser.pageText()).contains("\"target\"").contains("/records?x=1");
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received).as("the upstream got the original request").isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /records?x=1 HTTP/1.1");
        assertThat(String.join("; ", received.headers("Cookie"))).doesNotContain(SESSION_COOKIE);
        assertThat(received.headers("Remote-User")).containsExactly("alice");
        assertThat(received.headers("Remote-Groups")).containsExactly("staff,clinicians");
        assertThat(received.headers("Remote-Name")).containsExactly("Alice Example");
        assertThat(received.headers("Remote-Email")).containsExactly("alice@example.org");
    }

    @Test
    @Order(2)
    void aSecondHostSignsInWithoutAskingForThePasswordAgain() {
        String target = url("other.test", "/b");
        browser.open(target);

        browser.awaitUrl(target::equals, target);
        assertThat(browser.responseStatus()).isEqualTo(200);
        assertThat(browser.driver().findElements(By.cssSelector("input[type=password]"))).isEmpty();
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /b HTTP/1.1");
    }

    @Test
    @Order(3)
    void theSessionCookieIsSecureHttpOnlyLaxHostOnlyAndEndsWithTheBrowser() {
        browser.open(url("app.test", "/records?x=1"));
        assertThat(browser.currentUrl()).isEqualTo(url("app.test", "/records?x=1"));

        BrowserCookie cookie = browser.cookie(SESSION_COOKIE).orElseThrow(
                () -> new AssertionError("no " + SESSION_COOKIE + " cookie on app.test: " + browser.cookies()));
        assertThat(cookie.secure()).as("Secure").isTrue();
        assertThat(cookie.httpOnly()).as("HttpOnly").isTrue();
        assertThat(cookie.sameSite()).as("SameSite").isEqualTo("Lax");
        assertThat(cookie.path()).as("Path").isEqualTo("/");
        assertThat(cookie.domain()).as("host-only: bound to app.test, not a domain").isEqualTo("app.test");
        assertThat(cookie.isSessionCookie()).as("no Expires/Max-Age: " + cookie).isTrue();
        assertThat(browser.script("return document.cookie;")).as("invisible to scripts").asString()
                .doesNotContain(SESSION_COOKIE + "=");
    }

    @Test
    @Order(4)
    void signOutOnTheAccountPageEndsTheSessionOnEveryHost() {
        browser.open(gateway.portalOrigin() + "/.portcullis/");
        assertThat(browser.pageText()).contains("Alice Example");

        browser.submit(PortalMessages.SIGN_OUT_BUTTON);
        assertThat(browser.pageText()).contains(PortalMessages.SIGNED_OUT_TITLE);
        gateway.drainUpstream();

        browser.open(url("app.test", "/records?x=1"));
        assertThat(browser.currentUrl()).startsWith(loginPage());
        browser.open(url("other.test", "/b"));
        assertThat(browser.currentUrl()).startsWith(loginPage());
        assertThat(gateway.upstream.takeRequest(Duration.ofMillis(300))).as("nothing forwarded after sign-out")
                .isNull();
    }

    @Test
    @Order(5)
    void aWrongPasswordIsAnnouncedInAnAlertAndKeepsTheUsername() {
        browser.open(url("app.test", "/records?x=1"));
        assertThat(browser.currentUrl()).startsWith(loginPage());

        browser.fill(PortalMessages.USERNAME_LABEL, "alice")
                .fill(PortalMessages.PASSWORD_LABEL, "not alice's password")
                .submit();

        assertThat(browser.currentUrl()).startsWith(loginPage());
        assertThat(browser.responseStatus()).isEqualTo(401);
        WebElement alert = browser.driver().findElement(By.cssSelector("[role=alert]"));
        assertThat(alert.getText()).contains(PortalMessages.WRONG_CREDENTIALS);
        assertThat(browser.driver().findElement(By.name("username")).getDomProperty("value")).isEqualTo("alice");
        assertThat(browser.driver().findElement(By.name("password")).getDomProperty("value")).isEmpty();
        assertThat(browser.cookie(SESSION_COOKIE)).as("no session for a wrong password").isEmpty();
    }
}
