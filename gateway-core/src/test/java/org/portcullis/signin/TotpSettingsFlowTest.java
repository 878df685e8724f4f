package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.factor.TotpCredential;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.totp.TotpAlgorithm;
import org.portcullis.totp.TotpParameters;

/**
 * The {@code totp} config section through the real gateway (docs/totp.md, docs/configuration.md): a new enrolment
 * takes the configured algorithm, digits and period into its QR code and keeps them, an authenticator enrolled before
 * keeps its own, and the configured window applies to every authenticator. Codes come from {@code oathtool} with the
 * parameters the QR code announced.
 */
class TotpSettingsFlowTest {
    private static final String SHA256_8_60S = "totp:\n  algorithm: SHA256\n  digits: 8\n  period: 60s\n";

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

    @Test
    void aNewEnrolmentTakesTheConfiguredParametersAndSignsInWithThem(@TempDir Path dir) throws Exception {
        start(dir, SHA256_8_60S);
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofHours(1), clock.instant());
        String cookie = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "").cookie();
        String token = flow.token("/.portcullis/second-factor", cookie);

        RawResponse page = flow.post("/.portcullis/enrol", cookie, token, "step=invitation&invitation="
                + SignInGateway.encode(invitation.reveal()));
        assertThat(page.status()).isEqualTo(200);
        EnrolmentQr.Scanned scanned = EnrolmentQr.scan(page.bodyText());
        assertThat(scanned.uri()).endsWith("&issuer=Example%20Health%20Trust&algorithm=SHA256&digits=8&period=60");
        assertThat(scanned.parameters()).isEqualTo(new TotpParameters(TotpAlgorithm.SHA256, 8, 60, 1));
        assertThat(scanned.secret()).as("256 bits for SHA-256: 52 Base32 characters").hasSize(52);

        RawResponse sixDigits = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&code="
                + flow.code(scanned.secret()));
        assertThat(sixDigits.status()).as("a SHA-1 six-digit code of the same secret").isEqualTo(401);
        RawResponse confirmed = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&code="
                + flow.code(scanned.secret(), scanned.parameters()));
        assertThat(confirmed.status()).as(confirmed.bodyText()).isEqualTo(200);
        assertThat(flow.factors().totp().active("bob")).singleElement().extracting(TotpCredential::parameters)
                .isEqualTo(new TotpParameters(TotpAlgorithm.SHA256, 8, 60, 1));

        clock.advance(Duration.ofSeconds(60));
        String pending = flow.password("bob", SignInGateway.BOB_PASSWORD, "");
        RawResponse signedIn = flow.submitCode(pending, flow.code(scanned.secret(), scanned.parameters()));
        assertThat(signedIn.status()).as(signedIn.bodyText()).isEqualTo(303);
        assertThat(signedIn.header("Location")).isNotEqualTo("/.portcullis/second-factor");
    }

    @Test
    void anEarlierEnrolmentKeepsItsParametersAndAppsOfOtherPeriodsAndDigitsWorkSideBySide(@TempDir Path dir)
            throws Exception {
        start(dir, SHA256_8_60S);
        String old = flow.enrol("alice"); // SHA-1, 6 digits, 30 s, as enrolled before the config changed
        String pending = flow.password("alice", SignInGateway.PASSWORD, "");
        RawResponse done = flow.submitCode(pending, flow.code(old));
        assertThat(done.status()).as("the old app's own parameters still work").isEqualTo(303);
        String cookie = SignInGateway.cookiePair(done, "__Host-portcullis");
        String token = flow.token("/.portcullis/", cookie);

        RawResponse page = flow.post("/.portcullis/enrol", cookie, token, "step=start");
        EnrolmentQr.Scanned added = EnrolmentQr.scan(page.bodyText());
        assertThat(added.parameters().periodSeconds()).isEqualTo(60);
        RawResponse sameMoment = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&code="
                + flow.code(added.secret(), added.parameters()));
        assertThat(sameMoment.status()).as("a code of a time already used is a replay, whatever the app")
                .isEqualTo(401);
        clock.advance(Duration.ofSeconds(60));
        RawResponse confirmed = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&name=Tablet&code="
                + flow.code(added.secret(), added.parameters()));
        assertThat(confirmed.status()).as("a 60 s app after a 30 s one: " + confirmed.bodyText()).isEqualTo(303);

        clock.advance(Duration.ofSeconds(60));
        String again = flow.password("alice", SignInGateway.PASSWORD, "");
        assertThat(flow.submitCode(again, flow.code(old)).status()).as("six digits of the 30 s app").isEqualTo(303);
        clock.advance(Duration.ofSeconds(60));
        String third = flow.password("alice", SignInGateway.PASSWORD, "");
        assertThat(flow.submitCode(third, flow.code(added.secret(), added.parameters())).status())
                .as("eight digits of the 60 s app: one of the two codes meets the other app first").isEqualTo(303);
    }

    @Test
    void theConfiguredWindowAppliesToEveryAuthenticator(@TempDir Path dir) throws Exception {
        start(dir, "totp:\n  window: 0\n");
        String secret = flow.enrol("alice"); // stored with window 1
        String pending = flow.password("alice", SignInGateway.PASSWORD, "");

        assertThat(flow.submitCode(pending, flow.code(secret, -30)).status()).as("the previous step").isEqualTo(401);
        assertThat(flow.submitCode(pending, flow.code(secret, 30)).status()).as("the next step").isEqualTo(401);
        assertThat(flow.submitCode(pending, flow.code(secret)).status()).as("the current step").isEqualTo(303);
    }
}
