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
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserRequirement;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCredentials;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.WebAuthnMessages;
import org.portcullis.totp.TotpGenerator;
import org.portcullis.totp.TotpParameters;

/**
 * Security keys and passkeys as a user's Chromium experiences them (issue 6 §4), with Selenium's virtual authenticator
 * (CTAP2, internal transport, resident keys, user verification) answering the real {@code navigator.credentials}
 * calls of the portal's script, under the pages' real Content-Security-Policy. {@code /records/**} on app.test
 * accepts only a security key ({@code factors: [webauthn]}). The tests are one story and run in order.
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class WebAuthnBrowserTest {
    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: records
                  hosts: [app.test]
                  paths: ["/records/**"]
                  policy: two_factor
                  factors: [webauthn]
                - id: signed-in
                  hosts: [app.test, other.test]
                  policy: one_factor
            """;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private SignInGateway gateway;
    private Browser browser;
    private VirtualAuthenticator authenticator;
    private Browser fresh;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, Clock.systemUTC(), POLICY, "");
        browser = Browser.start(gateway.certs);
        authenticator = browser.driver().addVirtualAuthenticator(VirtualKeys.platformPasskey());
    }

    @AfterAll
    void stop() {
        try {
            for (Browser b : new Browser[] {fresh, browser}) {
                if (b != null) {
                    b.close();
                }
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

    private SecondFactors factors() {
        return gateway.server.signIn().orElseThrow().secondFactors();
    }

    private static void signInWithPassword(Browser b, String user, String password) {
        b.fill(PortalMessages.USERNAME_LABEL, user).fill(PortalMessages.PASSWORD_LABEL, password).submit();
    }

    @Test
    @Order(1)
    void invitationThenPasswordThenAKeyLeadsToTheProtectedRecord() {
        InvitationCode invitation = factors().invitations().issue("alice", Duration.ofHours(1),
                Clock.systemUTC().instant());
        String original = url("app.test", "/records/1");
        browser.open(original);
        signInWithPassword(browser, "alice", SignInGateway.PASSWORD);

        // No second factor yet: the webauthn-only rule says why and leads to registration.
        assertThat(browser.currentUrl()).contains("/.portcullis/second-factor").contains("need=webauthn");
        assertThat(browser.pageText()).contains(WebAuthnMessages.REQUIRED_EXPLAINED);
        browser.followLink(WebAuthnMessages.REGISTER_LINK);
        assertThat(browser.pageText()).contains(WebAuthnMessages.INVITATION_EXPLAINED);
        browser.fill(SecondFactorMessages.INVITATION_LABEL, invitation.reveal())
                .submit(SecondFactorMessages.INVITATION_BUTTON);

        assertThat(browser.pageText()).contains(WebAuthnMessages.REGISTER_EXPLAINED);
        browser.fill(WebAuthnMessages.NAME_LABEL, "Blue YubiKey");
        VirtualKeys.useKey(browser, WebAuthnMessages.REGISTER_BUTTON);

        assertThat(browser.pageText()).contains(SecondFactorMessages.RECOVERY_CODES_TITLE);
        assertThat(browser.driver().findElements(By.cssSelector(".recovery-codes li"))).hasSize(10);
        assertThat(authenticator.getCredentials()).hasSize(1);
        assertThat(factors().webauthn().keys("alice")).singleElement()
                .satisfies(k -> assertThat(k.record().name()).isEqualTo("Blue YubiKey"));
        gateway.drainUpstream();

        browser.followLink(SecondFactorMessages.CONTINUE);
        browser.awaitUrl(original::equals, original);
        assertThat(browser.responseStatus()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /records/1 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("alice");
    }

    @Test
    @Order(2)
    void aFreshBrowserSignsInWithPasswordAndTheKey() {
        fresh = browser.newContext();
        VirtualAuthenticator second = fresh.driver().addVirtualAuthenticator(VirtualKeys.platformPasskey());
        for (Credential credential : authenticator.getCredentials()) {
            second.addCredential(credential);
        }
        gateway.drainUpstream();
        String original = url("app.test", "/records/2");
        fresh.open(original);
        signInWithPassword(fresh, "alice", SignInGateway.PASSWORD);

        assertThat(fresh.currentUrl()).endsWith("/.portcullis/second-factor");
        assertThat(fresh.pageText()).contains(WebAuthnMessages.KEY_EXPLAINED);
        VirtualKeys.useKey(fresh, WebAuthnMessages.KEY_BUTTON);

        fresh.awaitUrl(original::equals, original);
        assertThat(fresh.responseStatus()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /records/2 HTTP/1.1");
        assertThat(factors().webauthn().keys("alice").get(0).record().lastUsed()).isNotNull();
    }

    @Test
    @Order(3)
    void aRemovedKeyNoLongerWorks() throws Exception {
        // alice also has an authenticator app, so the key is not her last second factor.
        TotpCredentials totp = factors().totp();
        TotpCredentials.Enrolment app = totp.startEnrolment("alice", "Phone", TotpParameters.defaults());
        totp.activate("alice", app.credential().id());

        fresh.open(gateway.portalOrigin() + "/.portcullis/");
        assertThat(fresh.pageText()).contains("Blue YubiKey").contains(WebAuthnMessages.KEY_TYPE);
        fresh.submit(SecondFactorMessages.REMOVE_BUTTON + " Blue YubiKey")
                .submit(String.format(SecondFactorMessages.CONFIRM_REMOVE_BUTTON, "Blue YubiKey"));
        assertThat(fresh.pageText()).contains(SecondFactorMessages.REMOVED);
        assertThat(factors().webauthn().keys("alice")).isEmpty();
        fresh.submit(PortalMessages.SIGN_OUT_BUTTON);

        fresh.open(url("app.test", "/other"));
        signInWithPassword(fresh, "alice", SignInGateway.PASSWORD);
        assertThat(fresh.currentUrl()).endsWith("/.portcullis/second-factor");
        assertThat(fresh.driver().findElements(By.cssSelector("[data-webauthn]"))).as("no key button").isEmpty();
        // The server no longer offers or accepts it: the options for this session name no key.
        String cookie = fresh.cookie("__Host-portcullis").orElseThrow().value();
        String csrf = fresh.driver().findElement(By.name("csrf")).getDomProperty("value");
        RawResponse options = gateway.sendJson("login.test", "/.portcullis/webauthn/authenticate/options",
                "Origin: " + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nX-CSRF-Token: " + csrf
                        + "\r\nCookie: __Host-portcullis=" + cookie + "\r\n", "{}");
        assertThat(options.status()).isEqualTo(409);
        assertThat(options.bodyText()).contains("\"error\":\"no_key\"");
    }

    @Test
    @Order(4)
    void aWebAuthnOnlyRuleRefusesATotpOnlyUserAndLeadsThemToRegisterAKey() {
        TotpCredentials totp = factors().totp();
        TotpCredentials.Enrolment app = totp.startEnrolment("bob", "Phone", TotpParameters.defaults());
        totp.activate("bob", app.credential().id());
        browser.open(gateway.portalOrigin() + "/.portcullis/");
        browser.submit(PortalMessages.SIGN_OUT_BUTTON);
        gateway.drainUpstream();

        String original = url("app.test", "/records/3");
        browser.open(original);
        signInWithPassword(browser, "bob", SignInGateway.BOB_PASSWORD);
        browser.fill(SecondFactorMessages.CODE_LABEL, TotpGenerator.codeAt(app.secret(), TotpParameters.defaults(),
                Clock.systemUTC().instant())).submit(SecondFactorMessages.CODE_BUTTON);

        assertThat(browser.currentUrl()).contains("/.portcullis/second-factor").contains("need=webauthn");
        assertThat(browser.responseStatus()).isEqualTo(403);
        assertThat(browser.pageText()).contains(WebAuthnMessages.REQUIRED_TITLE)
                .contains(WebAuthnMessages.REQUIRED_EXPLAINED);
        assertThat(gateway.upstream.takeRequest(Duration.ofMillis(300))).as("the TOTP did not open the records")
                .isNull();

        browser.followLink(WebAuthnMessages.REGISTER_LINK);
        assertThat(browser.pageText()).as("the code just typed is the proof").contains(
                WebAuthnMessages.REGISTER_EXPLAINED);
        browser.fill(WebAuthnMessages.NAME_LABEL, "Work laptop");
        VirtualKeys.useKey(browser, WebAuthnMessages.REGISTER_BUTTON);

        browser.awaitUrl(original::equals, original);
        assertThat(browser.responseStatus()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /records/3 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("bob");
        assertThat(factors().webauthn().keys("bob")).extracting(k -> k.record().name()).containsExactly("Work laptop");
    }
}
