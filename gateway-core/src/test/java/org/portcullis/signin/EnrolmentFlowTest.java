package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.enrolment.Redemption;
import org.portcullis.factor.TotpCredential;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;

/**
 * Enrolling an authenticator app through the real gateway (issue 5 §4, SECURITY-RULES 15): a password alone never
 * enrols one; an admin's invitation code does, once; the app is active only after a code from it (computed by
 * {@code oathtool} from the key the page showed); recovery codes follow the first enrolment; a half signed-in session
 * cannot enrol; adding a second app takes a fresh second factor. One gateway per test: enrolment changes the users.
 */
class EnrolmentFlowTest {
    private static final Pattern MANUAL_KEY = Pattern.compile("<code id=\"manual-key\">([A-Z2-7 ]+)</code>");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>");

    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;

    void start(Path dir, String extraYaml) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, extraYaml);
        flow = new TotpFlow(gateway, clock);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    String rd(String target) {
        return "https://app.test:" + gateway.port + target;
    }

    /** Bob (no authenticator) signed in with his password at the portal: a one-factor session. */
    String bobSignedIn() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "");
        return portal.cookie();
    }

    @Test
    void aPasswordAloneNeverEnrolsAFactor(@TempDir Path dir) throws Exception {
        start(dir, "");
        SignInGateway.SignIn portal = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, rd("/records/1"));
        SignInGateway.SignIn host = gateway.callback(portal.location());
        RawResponse stepUp = gateway.navigate("app.test", "/records/1", host.cookie());
        assertThat(stepUp.status()).isEqualTo(302);
        assertThat(stepUp.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/second-factor?rd="
                + SignInGateway.encode(rd("/records/1")) + "&state=");

        RawResponse page = gateway.navigate("login.test", stepUp.header("Location")
                .substring(gateway.portalOrigin().length()), portal.cookie());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.bodyText()).contains("enrolment code your administrator gave you")
                .contains("name=\"invitation\"");
        String token = flow.token("/.portcullis/second-factor", portal.cookie());
        int auditFrom = gateway.auditLines().size();

        assertThat(flow.post("/.portcullis/enrol", portal.cookie(), token, "step=start").status()).isEqualTo(403);
        assertThat(flow.post("/.portcullis/enrol", portal.cookie(), token, "step=confirm&code=123456").status())
                .isEqualTo(409);
        RawResponse guessed = flow.post("/.portcullis/enrol", portal.cookie(), token,
                "step=invitation&invitation=ABCD-EFGH-JKMN-PQRS-TVWX");
        assertThat(guessed.status()).isEqualTo(401);
        assertThat(guessed.bodyText()).contains("That enrolment code did not work");

        assertThat(flow.factors().totp().list("bob")).isEmpty();
        assertThat(gateway.awaitAuditLine(auditFrom, "invitation.redeem", "unknown"))
                .anySatisfy(line -> assertThat(line).contains("\"factor.enrol\"").contains("invitation_required"));
        assertThat(gateway.navigate("app.test", "/records/1", host.cookie()).status()).isEqualTo(302);
    }

    @Test
    void anInvitationEnrolsOnceAndTheAppIsActiveOnlyAfterACodeFromIt(@TempDir Path dir) throws Exception {
        start(dir, "");
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofHours(24), clock.instant());
        String cookie = bobSignedIn();
        String token = flow.token("/.portcullis/second-factor", cookie);
        int auditFrom = gateway.auditLines().size();

        RawResponse qr = flow.post("/.portcullis/enrol", cookie, token, "step=invitation&invitation="
                + SignInGateway.encode(invitation.reveal().toLowerCase()) + "&rd="
                + SignInGateway.encode(rd("/records/9")));
        assertThat(qr.status()).isEqualTo(200);
        Matcher key = MANUAL_KEY.matcher(qr.bodyText());
        assertThat(key.find()).as("manual key on the page").isTrue();
        assertThat(key.group(1)).matches("([A-Z2-7]{4} )+[A-Z2-7]{4}");
        String secret = key.group(1).replace(" ", "");
        assertThat(qr.bodyText()).contains("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("otpauth://totp/Example%20Health%20Trust:bob?secret=" + secret);
        assertThat(flow.factors().totp().list("bob")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(TotpCredential.State.PENDING));
        assertThat(flow.factors().invitations().redeem("bob", invitation.reveal(), clock.instant()))
                .as("the invitation is used up").isEqualTo(Redemption.ALREADY_USED);
        SignInGateway.SignIn meanwhile = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "");
        assertThat(meanwhile.location()).as("a pending app asks for nothing yet")
                .isNotEqualTo("/.portcullis/second-factor");

        String right = flow.code(secret);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
        RawResponse refused = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&code=" + wrong);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.bodyText()).contains("That code did not work").contains(key.group(1));
        assertThat(flow.factors().totp().hasActive("bob")).isFalse();

        RawResponse confirmed = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&code=" + right
                + "&name=" + SignInGateway.encode("My phone") + "&rd=" + SignInGateway.encode(rd("/records/9")));
        assertThat(confirmed.status()).isEqualTo(200);
        Matcher codes = RECOVERY_CODE.matcher(confirmed.bodyText());
        assertThat(codes.results().count()).isEqualTo(10);
        String rotated = SignInGateway.cookiePair(confirmed, "__Host-portcullis");
        assertThat(rotated).isNotNull().isNotEqualTo(cookie);
        assertThat(flow.factors().totp().active("bob")).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo("My phone"));
        assertThat(gateway.awaitAuditLine(auditFrom, "factor.enrol", "confirmed_first"))
                .anySatisfy(line -> assertThat(line).contains("\"invitation.redeem\"").contains("\"accepted\""))
                .noneSatisfy(line -> assertThat(line).contains(secret));

        RawResponse onwards = gateway.navigate("login.test", gateway.loginTarget(rd("/records/9")), rotated);
        SignInGateway.SignIn host = gateway.callback(onwards.header("Location"));
        assertThat(gateway.navigate("app.test", "/records/9", host.cookie()).status()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(60));
        String pending = flow.password("bob", SignInGateway.BOB_PASSWORD, rd("/records/9"));
        RawResponse again = flow.submitCode(pending, flow.code(secret));
        assertThat(again.status()).as("a fresh browser signs in with password and the app").isEqualTo(303);
        assertThat(gateway.callback(again.header("Location")).location()).isEqualTo("/records/9");
    }

    @Test
    void anExpiredInvitationIsRefused(@TempDir Path dir) throws Exception {
        start(dir, "");
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofMinutes(10),
                clock.instant());
        clock.advance(Duration.ofMinutes(11));
        String cookie = bobSignedIn();
        RawResponse answer = flow.post("/.portcullis/enrol", cookie, flow.token("/.portcullis/second-factor",
                cookie), "step=invitation&invitation=" + SignInGateway.encode(invitation.reveal()));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(flow.factors().totp().list("bob")).isEmpty();
    }

    @Test
    void aHalfSignedInSessionCannotEnrolEvenWithAnInvitation(@TempDir Path dir) throws Exception {
        start(dir, "");
        flow.enrol("alice");
        InvitationCode invitation = flow.factors().invitations().issue("alice", Duration.ofHours(1),
                clock.instant());
        String pending = flow.password("alice", SignInGateway.PASSWORD, "");
        String token = flow.token("/.portcullis/second-factor", pending);

        RawResponse answer = flow.post("/.portcullis/enrol", pending, token, "step=invitation&invitation="
                + SignInGateway.encode(invitation.reveal()));

        assertThat(answer.status()).isEqualTo(303);
        assertThat(answer.header("Location")).isEqualTo("/.portcullis/second-factor");
        assertThat(flow.factors().totp().list("alice")).hasSize(1);
        assertThat(flow.factors().invitations().redeem("alice", invitation.reveal(), clock.instant()))
                .as("not even spent").isEqualTo(Redemption.ACCEPTED);
    }

    @Test
    void anotherAppNeedsAFreshSecondFactor(@TempDir Path dir) throws Exception {
        start(dir, "");
        String secret = flow.enrol("alice");
        String pending = flow.password("alice", SignInGateway.PASSWORD, "");
        RawResponse done = flow.submitCode(pending, flow.code(secret));
        String cookie = SignInGateway.cookiePair(done, "__Host-portcullis");
        String token = flow.token("/.portcullis/", cookie);

        RawResponse qr = flow.post("/.portcullis/enrol", cookie, token, "step=start");
        assertThat(qr.status()).isEqualTo(200);
        Matcher key = MANUAL_KEY.matcher(qr.bodyText());
        assertThat(key.find()).isTrue();
        clock.advance(Duration.ofSeconds(60));
        RawResponse added = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&name=Tablet&code="
                + flow.code(key.group(1).replace(" ", "")));
        assertThat(added.status()).isEqualTo(303);
        assertThat(added.header("Location")).isEqualTo("/.portcullis/?added=app");
        String rotated = SignInGateway.cookiePair(added, "__Host-portcullis");
        assertThat(gateway.navigate("login.test", "/.portcullis/?added=app", rotated).bodyText())
                .as("the account page confirms it").contains("Your authenticator app \u201cTablet\u201d is set up.");
        assertThat(flow.factors().totp().active("alice")).extracting(TotpCredential::name)
                .containsExactlyInAnyOrder("Phone", "Tablet");
        assertThat(gateway.navigate("login.test", "/.portcullis/", rotated).bodyText())
                .contains("<td>Phone</td>").contains("<td>Tablet</td>");

        String first = flow.factors().totp().active("alice").stream().filter(c -> c.name().equals("Phone"))
                .findFirst().orElseThrow().id();
        assertThat(flow.post("/.portcullis/factors", rotated, token, "action=remove&id=" + first).status())
                .as("the token from before the rotation").isEqualTo(403);
        token = flow.token("/.portcullis/", rotated);
        RawResponse asked = flow.post("/.portcullis/factors", rotated, token, "action=remove&id=" + first);
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.bodyText()).as("removing asks first").contains("Remove Phone?");
        assertThat(flow.factors().totp().active("alice")).hasSize(2);
        assertThat(flow.post("/.portcullis/factors", rotated, token, "action=remove&id=" + first
                + "&confirmed=yes").status()).isEqualTo(200);
        assertThat(flow.factors().totp().active("alice")).extracting(TotpCredential::name).containsExactly("Tablet");

        clock.advance(Duration.ofMinutes(6));
        assertThat(flow.post("/.portcullis/enrol", rotated, token, "step=start").status())
                .as("more than five minutes after the last code").isEqualTo(403);
    }

    @Test
    void firstFactorOnlyEnrolmentIsForTestEnvironmentsOnly(@TempDir Path dir) throws Exception {
        start(dir, "enrolment:\n  allow_first_factor_only: true\n");
        String cookie = bobSignedIn();
        RawResponse page = gateway.navigate("login.test", "/.portcullis/second-factor", cookie);
        assertThat(page.bodyText()).contains("Set up an authenticator app").doesNotContain("name=\"invitation\"");
        RawResponse qr = flow.post("/.portcullis/enrol", cookie, flow.token("/.portcullis/second-factor", cookie),
                "step=start");
        assertThat(qr.status()).isEqualTo(200);
        assertThat(MANUAL_KEY.matcher(qr.bodyText()).find()).isTrue();
    }
}
