package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.totp.TotpParameters;

/**
 * Interoperability with an independent implementation (issue 5 §6), the way a user's phone meets the gateway: the
 * secret is taken only from the enrolment page's QR code (decoded by zxing from the inline SVG, as a camera would),
 * the codes only from Debian's {@code oathtool} with the parameters the QR code announced, and they confirm the
 * enrolment and then sign in to a two-factor route. Nothing of ours computes a code here.
 */
class TotpInteropTest {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theSecretInTheQrCodeGivesOathtoolCodesTheGatewayAccepts(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        TotpFlow flow = new TotpFlow(gateway, clock);
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofHours(1), clock.instant());
        String cookie = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "").cookie();
        String token = flow.token("/.portcullis/second-factor", cookie);
        RawResponse page = flow.post("/.portcullis/enrol", cookie, token, "step=invitation&invitation="
                + SignInGateway.encode(invitation.reveal()));
        assertThat(page.status()).isEqualTo(200);

        EnrolmentQr.Scanned scanned = EnrolmentQr.scan(page.bodyText());
        assertThat(scanned.label()).isEqualTo("Example Health Trust:bob");
        assertThat(scanned.issuer()).isEqualTo("Example Health Trust");
        assertThat(scanned.parameters()).isEqualTo(TotpParameters.defaults());
        assertThat(scanned.secret()).as("160 bits, RFC 4648 Base32 without padding").matches("[A-Z2-7]{32}");
        assertThat(page.bodyText()).as("the manual key is the same secret")
                .contains(scanned.secret().replaceAll("(.{4})(?!$)", "$1 "));

        RawResponse confirmed = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&code="
                + flow.code(scanned.secret(), scanned.parameters()));
        assertThat(confirmed.status()).as(confirmed.bodyText()).isEqualTo(200);

        for (int signIn = 0; signIn < 3; signIn++) {
            clock.advance(Duration.ofSeconds(30 + 7 * signIn));
            String rd = "https://app.test:" + gateway.port + "/records/" + signIn;
            String pending = flow.password("bob", SignInGateway.BOB_PASSWORD, rd);
            RawResponse done = flow.submitCode(pending, flow.code(scanned.secret(), scanned.parameters()));
            assertThat(done.status()).as("oathtool's code at +%d s", 30 + 7 * signIn).isEqualTo(303);
            String portal = SignInGateway.cookiePair(done, "__Host-portcullis");
            RawResponse onwards = gateway.navigate("login.test", gateway.loginTarget(rd), portal);
            String host = gateway.callback(onwards.header("Location")).cookie();
            assertThat(gateway.navigate("app.test", "/records/" + signIn, host).status())
                    .as("the two-factor route").isEqualTo(200);
        }
    }
}
