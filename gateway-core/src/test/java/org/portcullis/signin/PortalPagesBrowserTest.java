package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserRequirement;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.SecondFactorPages;

/**
 * Issue 15, "Portal pages": the pages an end user meets, in real Chromium at phone (390 px) and desktop width through
 * the running gateway ({@link SignInGateway}, as {@code run} wires it, with {@code portal.help_contact}). Every page
 * fits the window and its targets pass WCAG 2.2's target size ({@link PageLayout}); the enrolment page opens with
 * its heading and QR code in view; removing an authenticator and making new recovery codes ask first; the recovery
 * codes download is a no-store attachment; the code page names the account; the lockout page says when to retry,
 * whom to call and links to sign-in; the gateway's error pages carry the request id of the access decision in the
 * audit trail, the help contact and a way on.
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class PortalPagesBrowserTest {
    static final String HELP = "IT service desk: 0123 456 7890";
    /** {@link TotpFlow#POLICY} with a closed path, for a 403 from the gateway itself. */
    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: closed
                  hosts: [app.test]
                  paths: ["/closed/**"]
                  policy: deny
                - id: records
                  hosts: [app.test]
                  paths: ["/records/**"]
                  policy: two_factor
                - id: signed-in
                  hosts: [app.test, other.test]
                  policy: one_factor
            """;

    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    SignInGateway gateway;
    TotpFlow flow;
    Browser browser;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, POLICY, "");
        flow = new TotpFlow(gateway, clock);
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

    @Test
    void enrolmentRecoveryCodesAndTheAccountPageOnAPhoneAndADesktop() throws Exception {
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofHours(1), clock.instant());
        Browser bob = browser;
        {
            PageLayout.resize(bob, PageLayout.PHONE);
            bob.open(url("app.test", "/records/1"));
            PageLayout.assertFits(bob, "sign-in");
            bob.fill(PortalMessages.USERNAME_LABEL, "bob").fill(PortalMessages.PASSWORD_LABEL,
                    SignInGateway.BOB_PASSWORD).submit();
            PageLayout.assertFits(bob, "enrolment code");
            bob.fill(SecondFactorMessages.INVITATION_LABEL, invitation.reveal())
                    .submit(SecondFactorMessages.INVITATION_BUTTON);

            // Opened at phone width: nothing scrolled the heading and the QR code away (no autofocus down there).
            assertThat(bob.title()).contains(SecondFactorMessages.ENROL_TITLE);
            assertThat(((Number) bob.script("return window.scrollY")).intValue()).isZero();
            assertThat(((Number) bob.script("return document.querySelector('.qr svg').getBoundingClientRect()"
                    + ".bottom")).doubleValue()).isLessThanOrEqualTo(((Number) bob.script(
                    "return window.innerHeight")).doubleValue());
            assertThat(((Number) bob.script("return parseFloat(getComputedStyle("
                    + "document.getElementById('manual-key')).fontSize)")).doubleValue()).isGreaterThanOrEqualTo(20);
            PageLayout.assertFits(bob, "enrolment QR code");

            EnrolmentQr.Scanned scanned = EnrolmentQr.scan(bob.pageSource());
            bob.fill(SecondFactorMessages.CODE_LABEL, flow.code(scanned.secret(), scanned.parameters()))
                    .submit(SecondFactorMessages.CONFIRM_BUTTON);
            assertThat(bob.title()).contains(SecondFactorMessages.RECOVERY_CODES_TITLE);
            assertThat(bob.pageText()).contains(SecondFactorMessages.PRINT_CODES);
            PageLayout.assertFits(bob, "recovery codes");
            List<String> shown = bob.driver().findElements(By.cssSelector(".recovery-codes li")).stream()
                    .map(WebElement::getText).toList();
            assertThat(shown).hasSize(10);
            String session = "__Host-portcullis=" + bob.cookie("__Host-portcullis").orElseThrow().value();
            String codes = bob.driver().findElement(By.name(SecondFactorPages.FIELD_CODES)).getDomAttribute("value");
            String csrf = bob.driver().findElement(By.cssSelector(
                    "form[action='/.portcullis/recovery-codes.txt'] input[name=csrf]")).getDomAttribute("value");
            downloadIsANoStoreAttachmentOfTheShownCodes(session, csrf, codes, shown);

            bob.followLink(SecondFactorMessages.CONTINUE);
            flow.enrol("bob"); // a second authenticator, named "Phone", so one can be removed
            bob.open(url("login.test", "/.portcullis/"));
            PageLayout.assertFits(bob, "account");
            // Each date is one line box of text (a Range over the cell gives one rectangle per line).
            assertThat((List<?>) bob.script("return Array.from(document.querySelectorAll('td.date')).filter(td =>"
                    + " { const r = document.createRange(); r.selectNodeContents(td);"
                    + " return new Set(Array.from(r.getClientRects()).map(q => Math.round(q.top))).size > 1; })"
                    + ".map(td => td.textContent)")).as("dates on one line").isEmpty();

            // Remove asks first; going back changes nothing.
            bob.submit(SecondFactorMessages.REMOVE_BUTTON + " Phone");
            assertThat(bob.title()).contains(String.format(SecondFactorMessages.CONFIRM_REMOVE_TITLE, "Phone"));
            PageLayout.assertFits(bob, "confirm remove");
            assertThat(flow.factors().totp().list("bob").stream().filter(c -> c.active())).hasSize(2);
            bob.followLink(SecondFactorMessages.KEEP_AND_GO_BACK);
            assertThat(flow.factors().totp().list("bob").stream().filter(c -> c.active())).hasSize(2);
            bob.submit(SecondFactorMessages.REMOVE_BUTTON + " Phone")
                    .submit(String.format(SecondFactorMessages.CONFIRM_REMOVE_BUTTON, "Phone"));
            assertThat(bob.pageText()).contains(SecondFactorMessages.REMOVED);
            assertThat(flow.factors().totp().list("bob").stream().filter(c -> c.active()))
                    .extracting(c -> c.name()).doesNotContain("Phone").hasSize(1);

            // New recovery codes ask first too; the old ones keep working until confirmed.
            bob.submit(SecondFactorMessages.NEW_RECOVERY_CODES);
            assertThat(bob.title()).contains(SecondFactorMessages.CONFIRM_NEW_CODES_TITLE);
            assertThat(flow.factors().recoveryCodes().remaining("bob")).isEqualTo(10);
            bob.submit(SecondFactorMessages.CONFIRM_NEW_CODES_BUTTON);
            assertThat(bob.pageText()).contains(SecondFactorMessages.RECOVERY_CODES_NEW);
            assertThat(bob.driver().findElements(By.cssSelector(".recovery-codes li")).stream()
                    .map(WebElement::getText).toList()).doesNotContainAnyElementsOf(shown);
        }
    }

    private void downloadIsANoStoreAttachmentOfTheShownCodes(String session, String csrf, String codes,
                                                             List<String> shown) throws Exception {
        String headers = "Origin: " + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: "
                + session + "\r\n";
        RawResponse file = gateway.send("POST", "login.test", "/.portcullis/recovery-codes.txt", headers,
                "csrf=" + SignInGateway.encode(csrf) + "&codes=" + SignInGateway.encode(codes));
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(file.header("Content-Disposition")).isEqualTo("attachment; filename=\"recovery-codes.txt\"");
        assertThat(file.header("Cache-Control")).isEqualTo("no-store");
        assertThat(file.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(file.bodyText()).contains("Recovery codes for bob at Example Health Trust");
        assertThat(file.bodyText().lines().filter(shown::contains).toList()).containsExactlyElementsOf(shown);
        assertThat(gateway.awaitAuditLine(0, "recovery_code.download", "downloaded")).anySatisfy(line ->
                assertThat(line).contains("\"event.action\":\"recovery_code.download\"")
                        .contains("\"event.reason\":\"downloaded\"").doesNotContain(shown.get(0)));

        // Nothing but recovery-code-shaped text is echoed: markup is refused, not served.
        RawResponse other = gateway.send("POST", "login.test", "/.portcullis/recovery-codes.txt", headers,
                "csrf=" + SignInGateway.encode(csrf) + "&codes=" + SignInGateway.encode("<script>alert(1)</script>"));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.header("Content-Type")).startsWith("text/html");
        assertThat(other.bodyText()).doesNotContain("<script>alert");
    }

    @Test
    void theCodePageNamesTheAccountAndTheLockoutSaysWhenWhomAndWhere() throws Exception {
        flow.enrol("alice");
        Browser alice = browser.newContext();
        try {
            PageLayout.resize(alice, PageLayout.PHONE);
            alice.open(url("app.test", "/records/2"));
            alice.fill(PortalMessages.USERNAME_LABEL, "alice").fill(PortalMessages.PASSWORD_LABEL,
                    SignInGateway.PASSWORD).submit();
            assertThat(alice.title()).contains(SecondFactorMessages.CODE_TITLE);
            assertThat(alice.driver().findElement(By.id("account")).getText()).isEqualTo("alice");
            assertThat(alice.pageText()).contains(PortalMessages.SIGNING_IN_AS + " alice.");
            PageLayout.assertFits(alice, "code");

            // A name nobody has: locked like a real one after five failures (the lockout defaults).
            Browser guesser = browser.newContext();
            try {
                String start = url("app.test", "/records/3");
                for (int i = 0; i < 6; i++) {
                    guesser.open(start);
                    guesser.fill(PortalMessages.USERNAME_LABEL, "mallory").fill(PortalMessages.PASSWORD_LABEL,
                            "wrong password " + i).submit();
                }
                assertThat(guesser.title()).contains(PortalMessages.LOCKED_TITLE);
                assertThat(guesser.responseStatus()).isEqualTo(429);
                assertThat(guesser.pageText()).contains("You can try again in 15 minutes.")
                        .contains(PortalMessages.NEED_HELP + " " + HELP);
                PageLayout.assertFits(guesser, "lockout");
                guesser.followLink(PortalMessages.BACK_TO_SIGN_IN);
                assertThat(guesser.currentUrl()).startsWith(gateway.portalOrigin() + "/.portcullis/login");
            } finally {
                guesser.close();
            }
        } finally {
            alice.close();
        }
    }

    @Test
    void theGatewaysErrorPagesAreThePortalsDesignWithTheAuditRequestIdHelpAndAWayOn() throws Exception {
        Browser visitor = browser;
        {
            for (String[] page : new String[][] {{"app.test", "/closed/x", "403"}, {"nowhere.test", "/", "404"}}) {
                int auditFrom = gateway.auditLines().size();
                PageLayout.resize(visitor, PageLayout.PHONE);
                visitor.open(url(page[0], page[1]));
                assertThat(visitor.responseStatus()).isEqualTo(Integer.parseInt(page[2]));
                String requestId = visitor.driver().findElement(By.id("request-id")).getText();
                assertThat(requestId).matches("[0-9a-f]{16}");
                assertThat(visitor.pageText()).contains("Error " + page[2] + ".")
                        .contains(PortalMessages.NEED_HELP + " " + HELP)
                        .contains("Example Health Trust");
                assertThat(gateway.awaitAuditLine(auditFrom, "\"request.id\":\"" + requestId + "\""))
                        .anySatisfy(line -> assertThat(line).contains("\"event.action\":\"access.decision\"")
                                .contains("\"http.response.status_code\":" + page[2])
                                .contains("\"request.id\":\"" + requestId + "\""));
                PageLayout.assertFits(visitor, page[2] + " page");
                visitor.followLink(PortalMessages.GO_TO_PORTAL);
                assertThat(visitor.currentUrl()).startsWith(gateway.portalOrigin() + "/.portcullis/");
            }
        }

        // A script's JSON error carries the same reference.
        int auditFrom = gateway.auditLines().size();
        RawResponse json = gateway.send("GET", "app.test", "/closed/y", "Accept: application/json\r\n", null);
        assertThat(json.status()).isEqualTo(403);
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"request_id\":\"([0-9a-f]{16})\"")
                .matcher(json.bodyText());
        assertThat(id.find()).as(json.bodyText()).isTrue();
        assertThat(gateway.awaitAuditLine(auditFrom, "\"request.id\":\"" + id.group(1) + "\"")).isNotEmpty();
    }
}
