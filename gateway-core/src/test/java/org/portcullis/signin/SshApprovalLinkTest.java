package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserRequirement;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.policy.AuthFactor;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.WebAuthnMessages;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.SessionCookie;

/**
 * The SSH jump host's security-key approval link (issue 17), as users live it: Alice's only second factor is a
 * security key (Chromium's virtual authenticator); she runs a stock {@code ssh -J alice@gateway root@db01} (through
 * expect), reads the link in her terminal, opens it in her browser signed in with password and key, checks the
 * details and approves; the connection goes on to a real {@code sshd}. Then every way the link must not work: twice,
 * after 2 minutes (the gateway's hand-moved clock), in Bob's browser session, in a session of Alice's without a second
 * factor — each refused on the page, and the SSH sign-in fails with a message that says why. The tests are one story
 * and run in order.
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class SshApprovalLinkTest {
    static final Pattern LINK = Pattern.compile("https://login\\.test:\\d+/\\.portcullis/ssh/approve\\?c=[A-Za-z0-9_-]{22}");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    OpenSsh openSsh;
    Browser alice;
    Browser bob;
    TotpFlow totp;
    String bobSecret;
    String approvedLink;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        OpenSsh.require();
        int sshPort = OpenSsh.freePort();
        openSsh = OpenSsh.start(dir.resolve("openssh"), sshPort);
        gateway = SignInGateway.start(dir.resolve("gateway"), clock, SignInGateway.POLICY, """
                tcp_targets:
                  - name: db01
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                ssh:
                  address: 127.0.0.1:%d
                  login_timeout: 60s
                """.formatted(openSsh.targetPort, sshPort));
        totp = new TotpFlow(gateway, clock);
        bobSecret = totp.enrol("bob");
        alice = Browser.start(gateway.certs);
        alice.driver().addVirtualAuthenticator(VirtualKeys.platformPasskey());
        registerAlicesKey();
        bob = alice.newContext();
        bob.open(gateway.portalOrigin() + "/.portcullis/login");
        bob.fill(PortalMessages.USERNAME_LABEL, "bob").fill(PortalMessages.PASSWORD_LABEL, SignInGateway.BOB_PASSWORD)
                .submit();
        bob.fill(SecondFactorMessages.CODE_LABEL, totp.code(bobSecret)).submit(SecondFactorMessages.CODE_BUTTON);
        assertThat(bob.pageText()).contains("Bob Example");
    }

    /** Alice signs in with her password and registers a security key with an enrolment code: her only factor. */
    private void registerAlicesKey() {
        InvitationCode invitation = gateway.server.signIn().orElseThrow().secondFactors().invitations()
                .issue("alice", Duration.ofHours(1), clock.instant());
        alice.open(gateway.portalOrigin() + "/.portcullis/login");
        alice.fill(PortalMessages.USERNAME_LABEL, "alice").fill(PortalMessages.PASSWORD_LABEL, SignInGateway.PASSWORD)
                .submit();
        alice.open(gateway.portalOrigin() + "/.portcullis/security-key");
        alice.fill(SecondFactorMessages.INVITATION_LABEL, invitation.reveal())
                .submit(SecondFactorMessages.INVITATION_BUTTON);
        assertThat(alice.pageText()).contains(WebAuthnMessages.REGISTER_EXPLAINED);
        alice.fill(WebAuthnMessages.NAME_LABEL, "Blue YubiKey");
        VirtualKeys.useKey(alice, WebAuthnMessages.REGISTER_BUTTON);
        assertThat(alice.pageText()).contains(SecondFactorMessages.RECOVERY_CODES_TITLE);
        var factors = gateway.server.signIn().orElseThrow().secondFactors();
        assertThat(factors.webauthn().hasAny("alice")).isTrue();
        assertThat(factors.totp().hasActive("alice")).isFalse();
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {bob, alice, gateway, openSsh}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // go on closing the rest
            }
        }
    }

    @Test
    @Order(1)
    void approvedInTheBrowserTheConnectionReachesTheTarget() throws Exception {
        int from = gateway.auditLines().size();
        Process ssh = jump("echo approved-on-$(hostname)");
        String link = awaitLink(ssh);
        assertThat(openSsh.output(ssh)).contains("Your second factor is a security key")
                .contains("The link works once, for 2 minutes");

        alice.open(link);
        assertThat(alice.pageText()).contains("Approve an SSH connection").contains("alice").contains("127.0.0.1")
                .contains("db01").contains("2026-12-07");
        alice.submit("Approve");
        assertThat(alice.pageText()).contains("Approved");

        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).as("ssh ended: " + openSsh.output(ssh)).isTrue();
        assertThat(openSsh.output(ssh)).containsPattern("approved-on-.*");
        assertThat(ssh.exitValue()).isZero();
        List<String> lines = gateway.awaitAuditLine(from, "\"event.action\":\"remote.open\"");
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"ssh.approve\"")
                && l.contains("\"event.reason\":\"link_issued\"") && l.contains("\"url.domain\":\"ssh\""));
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"ssh.approve\"")
                && l.contains("\"event.outcome\":\"success\"") && l.contains("\"event.reason\":\"approved\"")
                && l.contains("\"url.domain\":\"login.test\""));
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"factor.verify\"")
                && l.contains("\"event.reason\":\"ssh_approval\""));
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"remote.open\"")
                && l.contains("\"auth.factors\":\"password,webauthn\""));
        assertThat(String.join("\n", lines)).doesNotContain(link.substring(link.indexOf("?c=") + 3));
        approvedLink = link;
    }

    @Test
    @Order(2)
    void theLinkWorksOnce() throws Exception {
        int from = gateway.auditLines().size();
        alice.open(approvedLink);
        assertThat(alice.responseStatus()).isEqualTo(410);
        assertThat(alice.pageText()).contains("already used");
        assertThat(gateway.awaitAuditLine(from, "\"event.reason\":\"used\"")).anyMatch(l ->
                l.contains("\"event.action\":\"ssh.approve\"") && l.contains("\"event.outcome\":\"failure\""));
    }

    @Test
    @Order(3)
    void aLateLinkIsRefusedAndTheSshSignInFails() throws Exception {
        int from = gateway.auditLines().size();
        Process ssh = jump("echo never");
        String link = awaitLink(ssh);
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));

        alice.open(link);
        assertThat(alice.pageText()).contains("expired");
        assertThat(alice.responseStatus()).isEqualTo(410);

        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).as("ssh ended: " + openSsh.output(ssh)).isTrue();
        assertThat(openSsh.output(ssh)).contains("portcullis: the approval link expired").doesNotContain("never");
        assertThat(ssh.exitValue()).isNotZero();
        List<String> lines = gateway.awaitAuditLine(from, "\"event.reason\":\"expired\"", "\"url.domain\":\"ssh\"");
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"ssh.approve\"")
                && l.contains("\"event.reason\":\"expired\"") && l.contains("\"url.domain\":\"login.test\""));
        assertThat(lines).noneMatch(l -> l.contains("remote.open") || l.contains("\"event.reason\":\"ssh_approval\""));
    }

    @Test
    @Order(4)
    void aLinkNotOpenedWithinTwoMinutesEndsTheWaitingSignIn() throws Exception {
        int from = gateway.auditLines().size();
        Process ssh = jump("echo never");
        awaitLink(ssh);
        clock.advance(Duration.ofMinutes(2));

        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).as("ssh ended: " + openSsh.output(ssh)).isTrue();
        assertThat(openSsh.output(ssh)).contains("portcullis: the approval link expired").doesNotContain("never");
        assertThat(gateway.awaitAuditLine(from, "\"event.reason\":\"expired\"")).anyMatch(l ->
                l.contains("\"event.action\":\"ssh.approve\"") && l.contains("\"url.domain\":\"ssh\""));
    }

    @Test
    @Order(5)
    void anotherUsersBrowserSessionIsRefusedAndVoidsTheLink() throws Exception {
        int from = gateway.auditLines().size();
        Process ssh = jump("echo never");
        String link = awaitLink(ssh);

        bob.open(link);
        assertThat(bob.responseStatus()).isEqualTo(403);
        assertThat(bob.pageText()).contains("belongs to another account").doesNotContain("127.0.0.1");

        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).as("ssh ended: " + openSsh.output(ssh)).isTrue();
        assertThat(openSsh.output(ssh)).contains("portcullis: the approval link was opened in a browser signed in as"
                + " another user").doesNotContain("never");
        assertThat(ssh.exitValue()).isNotZero();
        // Alice herself cannot revive it.
        alice.open(link);
        assertThat(alice.pageText()).contains("already used");
        List<String> lines = gateway.awaitAuditLine(from, "\"event.reason\":\"other_user\"");
        assertThat(lines).anyMatch(l -> l.contains("\"event.action\":\"ssh.approve\"")
                && l.contains("\"user.name\":\"bob\"") && l.contains("\"event.outcome\":\"failure\""));
        assertThat(lines).noneMatch(l -> l.contains("remote.open"));
    }

    @Test
    @Order(6)
    void aSessionWithoutASecondFactorIsRefusedAndVoidsTheLink() throws Exception {
        int from = gateway.auditLines().size();
        Process ssh = jump("echo never");
        String link = awaitLink(ssh);
        // A session of Alice's with her password only (as the portal makes for an account with no factor yet).
        var parts = gateway.server.signIn().orElseThrow().sshSignIn();
        IssuedSession oneFactor = parts.sessions().forConfig(gateway.server.runtime().snapshot().config())
                .start("alice", AuthFactor.PASSWORD, Map.of());
        String cookie = SessionCookie.setCookie(oneFactor.id()).split(";")[0];

        RawResponse page = gateway.navigate("login.test", link.substring(link.indexOf("/.portcullis/")), cookie);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.bodyText()).contains("Approving needs a sign-in with your second factor");

        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).as("ssh ended: " + openSsh.output(ssh)).isTrue();
        assertThat(openSsh.output(ssh)).contains("portcullis: the approval link was opened in a browser session"
                + " without your second factor").doesNotContain("never");
        assertThat(gateway.awaitAuditLine(from, "\"event.reason\":\"no_second_factor\"")).anyMatch(l ->
                l.contains("\"event.action\":\"ssh.approve\"") && l.contains("\"user.name\":\"alice\""));
    }

    @Test
    @Order(7)
    void aForgedApprovalWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        int from = gateway.auditLines().size();
        Process ssh = jump("echo never");
        String link = awaitLink(ssh);
        String cookie = "__Host-portcullis=" + alice.cookie("__Host-portcullis").orElseThrow().value();
        String token = link.substring(link.indexOf("?c=") + 3);

        RawResponse forged = gateway.send("POST", "login.test", "/.portcullis/ssh/approve", "Origin: https://evil.test"
                + "\r\nSec-Fetch-Site: cross-site\r\nCookie: " + cookie + "\r\n", "c=" + token + "&decision=approve");
        assertThat(forged.status()).isEqualTo(403);
        gateway.awaitAuditLine(from, "\"event.action\":\"ssh.approve\"", "csrf");

        // The link still waits for Alice's real answer: "This was not me" ends the sign-in.
        alice.open(link);
        alice.submit("This was not me");
        assertThat(alice.pageText()).contains("Refused");
        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).as("ssh ended: " + openSsh.output(ssh)).isTrue();
        assertThat(openSsh.output(ssh)).contains("portcullis: the connection was refused in the browser")
                .doesNotContain("never");
        assertThat(gateway.awaitAuditLine(from, "\"event.reason\":\"denied\"")).noneMatch(l ->
                l.contains("remote.open"));
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    /** {@code ssh -J alice@gateway USER@db01 COMMAND}: the password typed, Enter pressed at the approval prompt. */
    private Process jump(String command) throws Exception {
        return openSsh.start(SignInGateway.PASSWORD, List.of(), "-J", "alice@gateway",
                openSsh.targetUser + "@db01", command);
    }

    /** The approval link the terminal shows. */
    private String awaitLink(Process ssh) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Matcher link = LINK.matcher(openSsh.output(ssh));
            if (link.find()) {
                return link.group();
            }
            assertThat(ssh.isAlive()).as("ssh still running: " + openSsh.output(ssh)).isTrue();
            assertThat(System.nanoTime()).as("the link shown: " + openSsh.output(ssh)).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
