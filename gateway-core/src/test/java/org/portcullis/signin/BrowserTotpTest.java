package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserRequirement;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.SecondFactorMessages;

/**
 * An authenticator app set up and used in real Chromium (issue 5 §6): a protected two-factor URL → password → the
 * admin's enrolment code → the enrolment page, whose QR code is read from the page source and decoded with zxing
 * (never the manual key) → a code from {@code oathtool} confirms it → recovery codes → the protected page. Then a
 * fresh browser (no cookies) signs in with the password and a later code. The gateway runs on a test clock set to
 * now, so the second sign-in moves time on by a step instead of waiting for one.
 */
@ExtendWith(BrowserRequirement.class)
@Timeout(60)
class BrowserTotpTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    SignInGateway gateway;
    Browser browser;
    Browser fresh;

    @AfterEach
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

    private String url(String target) {
        return "https://app.test:" + gateway.port + target;
    }

    @Test
    void enrolFromTheQrCodeThenSignInWithACodeInAFreshBrowser(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        TotpFlow flow = new TotpFlow(gateway, clock);
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofHours(1), clock.instant());
        browser = Browser.start(gateway.certs);

        String records = url("/records/7");
        browser.open(records);
        browser.fill(PortalMessages.USERNAME_LABEL, "bob").fill(PortalMessages.PASSWORD_LABEL,
                SignInGateway.BOB_PASSWORD).submit();
        assertThat(browser.currentUrl()).startsWith(gateway.portalOrigin() + "/.portcullis/second-factor");
        browser.fill(SecondFactorMessages.INVITATION_LABEL, invitation.reveal())
                .submit(SecondFactorMessages.INVITATION_BUTTON);

        assertThat(browser.title()).contains(SecondFactorMessages.ENROL_TITLE);
        EnrolmentQr.Scanned scanned = EnrolmentQr.scan(browser.pageSource());
        assertThat(scanned.label()).isEqualTo("Example Health Trust:bob");
        browser.fill(SecondFactorMessages.NAME_LABEL, "Work phone")
                .fill(SecondFactorMessages.CODE_LABEL, flow.code(scanned.secret(), scanned.parameters()))
                .submit(SecondFactorMessages.CONFIRM_BUTTON);

        assertThat(browser.title()).contains(SecondFactorMessages.RECOVERY_CODES_TITLE);
        assertThat(browser.driver().findElements(org.openqa.selenium.By.cssSelector(".recovery-codes li")))
                .hasSize(10);
        gateway.drainUpstream();
        browser.followLink(SecondFactorMessages.CONTINUE);
        browser.awaitUrl(records::equals, records);
        assertThat(browser.responseStatus()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /records/7 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("bob");

        clock.advance(Duration.ofSeconds(30));
        fresh = browser.newContext();
        String other = url("/records/8");
        fresh.open(other);
        assertThat(fresh.currentUrl()).startsWith(gateway.portalOrigin() + "/.portcullis/login");
        fresh.fill(PortalMessages.USERNAME_LABEL, "bob").fill(PortalMessages.PASSWORD_LABEL,
                SignInGateway.BOB_PASSWORD).submit();
        assertThat(fresh.title()).contains(SecondFactorMessages.CODE_TITLE);
        fresh.fill(SecondFactorMessages.CODE_LABEL, flow.code(scanned.secret(), scanned.parameters()))
                .submit(SecondFactorMessages.CODE_BUTTON);
        fresh.awaitUrl(other::equals, other);
        assertThat(fresh.responseStatus()).isEqualTo(200);
        assertThat(fresh.pageText()).contains("/records/8");
    }
}
