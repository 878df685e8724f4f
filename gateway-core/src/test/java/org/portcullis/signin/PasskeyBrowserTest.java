package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserRequirement;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.factor.SecondFactors;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.WebAuthnMessages;

/**
 * Passwordless sign-in in real Chromium with Selenium's virtual authenticator (a platform passkey with user
 * verification): alice registers a key after her password, then a fresh browser holding the same passkey opens a
 * record behind a {@code two_factor, factors: [webauthn]} rule and gets there with "Sign in with a passkey" alone.
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PasskeyBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private SignInGateway gateway;
    private Browser browser;
    private VirtualAuthenticator authenticator;
    private Browser fresh;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, Clock.systemUTC(), WebAuthnBrowserTest.POLICY,
                "webauthn:\n  passwordless: true\n");
        browser = Browser.start(gateway.certs);
        authenticator = browser.driver().addVirtualAuthenticator(authenticatorOptions());
    }

    private static VirtualAuthenticatorOptions authenticatorOptions() {
        return new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true);
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
        return gateway.server.runtime().signIn().orElseThrow().secondFactors();
    }

    /** Clicks a ceremony button and waits until the script has moved the browser on to another page. */
    private static void useKey(Browser b, String buttonText) {
        WebElement oldRoot = b.driver().findElement(By.tagName("html"));
        b.driver().findElement(By.xpath("//button[normalize-space()='" + buttonText + "']")).click();
        new WebDriverWait(b.driver(), Browser.WAIT)
                .withMessage(() -> "the key ceremony did not move on; status: " + b.driver()
                        .findElements(By.cssSelector("[data-webauthn-status]")).stream().map(WebElement::getText)
                        .findFirst().orElse("(no status line)"))
                .until(ExpectedConditions.stalenessOf(oldRoot));
        new WebDriverWait(b.driver(), Browser.WAIT)
                .until(d -> "complete".equals(b.script("return document.readyState")));
    }

    @Test
    void aFreshBrowserReachesAWebAuthnOnlyRecordWithThePasskeyAlone() {
        InvitationCode invitation = factors().invitations().issue("alice", Duration.ofHours(1),
                Clock.systemUTC().instant());
        browser.open(url("app.test", "/records/1"));
        browser.fill(PortalMessages.USERNAME_LABEL, "alice").fill(PortalMessages.PASSWORD_LABEL,
                SignInGateway.PASSWORD).submit(PortalMessages.SIGN_IN_BUTTON);
        browser.followLink(WebAuthnMessages.REGISTER_LINK);
        browser.fill(SecondFactorMessages.INVITATION_LABEL, invitation.reveal())
                .submit(SecondFactorMessages.INVITATION_BUTTON);
        browser.fill(WebAuthnMessages.NAME_LABEL, "Work laptop");
        useKey(browser, WebAuthnMessages.REGISTER_BUTTON);
        assertThat(authenticator.getCredentials()).singleElement()
                .satisfies(c -> assertThat(c.isResidentCredential()).as("a discoverable credential").isTrue());

        fresh = browser.newContext();
        VirtualAuthenticator second = fresh.driver().addVirtualAuthenticator(authenticatorOptions());
        for (Credential credential : authenticator.getCredentials()) {
            second.addCredential(credential);
        }
        while (gateway.upstream.takeRequest(Duration.ofMillis(1)) != null) {
            // requests of the first browser
        }
        String original = url("app.test", "/records/7");
        fresh.open(original);
        assertThat(fresh.pageText()).contains(PortalMessages.PASSKEY_BUTTON);
        useKey(fresh, PortalMessages.PASSKEY_BUTTON);

        fresh.awaitUrl(original::equals, original);
        assertThat(fresh.responseStatus()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /records/7 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("alice");
    }
}
