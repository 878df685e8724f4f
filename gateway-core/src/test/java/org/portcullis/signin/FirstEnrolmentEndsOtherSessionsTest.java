package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.extension.client.RegistrationExtensionClientOutput;
import com.webauthn4j.test.authenticator.webauthn.PackedAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.client.ClientPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;

/**
 * SECURITY-RULES 12 after a first enrolment, through the running gateway: bob signs in with his password alone in
 * browser A (his account has no second factor yet, so one_factor routes let that session in), then sets up his first
 * second factor in browser B with an invitation. From that moment browser A's password-only sessions are over: its
 * one_factor page, its account page, a callback code it fetched for another host and a WebSocket it holds open all stop
 * working, while browser B goes on. Each ended session is audited. Both kinds of first factor: an authenticator app and a security key.
 */
@Timeout(120)
class FirstEnrolmentEndsOtherSessionsTest {
    private static final Pattern MANUAL_KEY = Pattern.compile("<code id=\"manual-key\">([A-Z2-7 ]+)</code>");
    static final Duration NOTHING = Duration.ofMillis(300);

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;

    void start(Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        flow = new TotpFlow(gateway, clock);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    String rd(String host, String target) {
        return "https://" + host + ":" + gateway.port + target;
    }

    /** Browser A: password only, before any enrolment, on the portal, app.test and a callback for other.test. */
    record BrowserA(String portal, String app, String otherCallback) {
    }

    BrowserA passwordOnly() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, rd("app.test", "/a"));
        SignInGateway.SignIn app = gateway.callback(portal.location());
        assertThat(gateway.navigate("app.test", "/a", app.cookie()).status()).isEqualTo(200);
        RawResponse toOther = gateway.navigate("login.test", gateway.loginTarget(rd("other.test", "/b")),
                portal.cookie());
        assertThat(toOther.header("Location")).startsWith(rd("other.test", "/.portcullis/callback?code="));
        gateway.drainUpstream();
        return new BrowserA(portal.cookie(), app.cookie(), toOther.header("Location"));
    }

    void assertEnded(BrowserA a, int auditFrom) throws Exception {
        RawResponse page = gateway.navigate("app.test", "/a", a.app());
        assertThat(page.status()).as("a one_factor route").isEqualTo(302);
        assertThat(page.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/login");
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing forwarded for browser A").isNull();

        RawResponse account = gateway.navigate("login.test", "/.portcullis/", a.portal());
        assertThat(account.status()).as("the account page").isNotEqualTo(200);
        assertThat(account.bodyText()).doesNotContain("Bob Example");

        // Opened by browser A itself (its SSO state cookie on other.test), so only the ended session can refuse it.
        RawResponse callback = gateway.navigate("other.test", a.otherCallback().substring(
                rd("other.test", "").length()), gateway.hostState("other.test"));
        assertThat(SignInGateway.cookiePair(callback, "__Host-portcullis")).as("a callback code of browser A")
                .isNull();
        RawResponse again = gateway.navigate("login.test", gateway.loginTarget(rd("other.test", "/b")),
                a.portal());
        assertThat(String.valueOf(again.header("Location"))).as("no new callback code for browser A")
                .doesNotContain("/.portcullis/callback");

        List<String> audit = gateway.awaitAuditLine(auditFrom, "session.revoke", "first_second_factor_enrolled");
        assertThat(audit.stream().filter(line -> line.contains("\"session.revoke\"")
                && line.contains("first_second_factor_enrolled") && line.contains("\"user.name\":\"bob\"")))
                .as("browser A's portal and app.test sessions, each audited").hasSize(2);
    }

    @Test
    void aFirstAuthenticatorAppEndsThePasswordOnlySessionsOfOtherBrowsers(@TempDir Path dir) throws Exception {
        start(dir);
        String bNow;
        BrowserA a = passwordOnly();
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofHours(1), clock.instant());
        String b = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "").cookie();
        String token = flow.token("/.portcullis/second-factor", b);
        RawResponse qr = flow.post("/.portcullis/enrol", b, token, "step=invitation&invitation="
                + SignInGateway.encode(invitation.reveal()));
        Matcher key = MANUAL_KEY.matcher(qr.bodyText());
        assertThat(key.find()).as(qr.statusLine()).isTrue();
        assertThat(gateway.navigate("app.test", "/a", a.app()).status()).as("A works while the app is pending")
                .isEqualTo(200);
        gateway.drainUpstream();
        int auditFrom = gateway.auditLines().size();

        try (RawHttpClient console = TunnelSessionTest.openTunnel(gateway, a.app())) {
            RawResponse confirmed = flow.post("/.portcullis/enrol", b, token, "step=confirm&name=Phone&code="
                    + flow.code(key.group(1).replace(" ", "")));
            long enrolled = System.nanoTime();
            assertThat(confirmed.status()).isEqualTo(200);
            // Browser A's WebSocket console ends with its session, within a second (SECURITY-RULES 23).
            assertThat(TunnelSessionTest.closedAfter(console, enrolled)).isLessThan(Duration.ofSeconds(1));
            gateway.drainUpstream();
            bNow = SignInGateway.cookiePair(confirmed, "__Host-portcullis");
        }

        assertEnded(a, auditFrom);
        RawResponse goesOn = gateway.navigate("login.test", "/.portcullis/", bNow);
        assertThat(goesOn.status()).as("the enrolling browser goes on").isEqualTo(200);
        assertThat(goesOn.bodyText()).contains("Bob Example");
    }

    @Test
    void aFirstSecurityKeyEndsThePasswordOnlySessionsOfOtherBrowsers(@TempDir Path dir) throws Exception {
        start(dir);
        BrowserA a = passwordOnly();
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofHours(1), clock.instant());
        String b = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "").cookie();
        String csrf = flow.token("/.portcullis/security-key", b);
        String headers = "Origin: " + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nX-CSRF-Token: "
                + csrf + "\r\n" + SignInGateway.cookieHeader(b);
        RawResponse redeemed = gateway.send("POST", "login.test", "/.portcullis/security-key", "Origin: "
                + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\n" + SignInGateway.cookieHeader(b),
                "csrf=" + SignInGateway.encode(csrf) + "&step=invitation&invitation="
                        + SignInGateway.encode(invitation.reveal()));
        assertThat(redeemed.status()).isEqualTo(200);
        RawResponse options = gateway.sendJson("login.test", "/.portcullis/webauthn/register/options", headers,
                "{\"name\":\"Blue key\"}");
        assertThat(options.status()).as(options.bodyText()).isEqualTo(200);
        String body = options.bodyText();
        ObjectConverter converter = new ObjectConverter();
        PublicKeyCredentialCreationOptions creation = converter.getJsonConverter().readValue(
                body.substring("{\"publicKey\":".length(), body.length() - 1), PublicKeyCredentialCreationOptions.class);
        PublicKeyCredential<AuthenticatorAttestationResponse, RegistrationExtensionClientOutput> created =
                new ClientPlatform(new Origin(gateway.portalOrigin()),
                        new WebAuthnAuthenticatorAdaptor(new PackedAuthenticator())).create(creation);
        int auditFrom = gateway.auditLines().size();

        RawResponse registered = gateway.sendJson("login.test", "/.portcullis/webauthn/register", headers,
                "{\"name\":\"Blue key\",\"rd\":\"\",\"credential\":{\"response\":{\"clientDataJSON\":\""
                        + b64(created.getResponse().getClientDataJSON()) + "\",\"attestationObject\":\""
                        + b64(created.getResponse().getAttestationObject()) + "\",\"transports\":[\"usb\"]}}}");
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
        String bNow = SignInGateway.cookiePair(registered, "__Host-portcullis");

        assertEnded(a, auditFrom);
        RawResponse goesOn = gateway.navigate("login.test", "/.portcullis/", bNow);
        assertThat(goesOn.status()).as("the enrolling browser goes on").isEqualTo(200);
        assertThat(goesOn.bodyText()).contains("Bob Example");
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
