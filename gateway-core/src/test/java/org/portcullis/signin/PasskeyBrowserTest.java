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
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
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
        VirtualKeys.useKey(browser, WebAuthnMessages.REGISTER_BUTTON);
        assertThat(authenticator.getCredentials()).singleElement()
                .satisfies(c -> assertThat(c.isResidentCredential()).as("a discoverable credential").isTrue());

        fresh = browser.newContext();
        VirtualAuthenticator second = fresh.driver().addVirtualAuthenticator(VirtualKeys.platformPasskey());
        for (Credential credential : authenticator.getCredentials()) {
            second.addCredential(credential);
        }
        gateway.drainUpstream();
        String original = url("app.test", "/records/7");
        fresh.open(original);
        assertThat(fresh.pageText()).contains(PortalMessages.PASSKEY_BUTTON);
        VirtualKeys.useKey(fresh, PortalMessages.PASSKEY_BUTTON);

        fresh.awaitUrl(original::equals, original);
        assertThat(fresh.responseStatus()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /records/7 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("alice");
    }
}
