package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.ResetMfaCommand;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import picocli.CommandLine;

/**
 * {@code portcullis users reset-mfa} against a running gateway (issue 5 §5): every factor of the user goes (the
 * authenticator, its secret, the recovery codes), every session of the user ends on its next request on every host,
 * the old authenticator's codes no longer sign in, and the printed invitation enrols a new one through the portal.
 */
class ResetMfaFlowTest {
    private static final Pattern CODE = Pattern.compile("enrolment code for 'alice': ([A-Z0-9-]{24})\n");

    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    record Run(int exitCode, String out, String err) {
    }

    Run resetMfa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ResetMfaCommand(clock));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    Run usersList(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = org.portcullis.cli.PortcullisMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new java.util.ArrayList<>(List.of("users", "list"));
        all.addAll(List.of(args));
        return new Run(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void aResetEndsTheSessionsRemovesEveryFactorAndTheNewInvitationEnrolsAgain(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        flow = new TotpFlow(gateway, clock);
        String oldSecret = flow.enrol("alice");
        var codes = flow.factors().recoveryCodes().generate("alice", clock.instant());
        assertThat(flow.factors().recoveryCodes().redeem("alice", codes.reveal().get(0), clock.instant()))
                .as("one code used: the reset must not count it as one that still worked")
                .isEqualTo(org.portcullis.enrolment.Redemption.ACCEPTED);
        String rd = "https://app.test:" + gateway.port + "/records/1";
        String pending = flow.password("alice", SignInGateway.PASSWORD, rd);
        RawResponse done = flow.submitCode(pending, flow.code(oldSecret));
        String portal = SignInGateway.cookiePair(done, "__Host-portcullis");
        RawResponse onwards = gateway.navigate("login.test", gateway.loginTarget(rd),
                portal);
        String host = gateway.callback(onwards.header("Location")).cookie();
        assertThat(gateway.navigate("app.test", "/records/1", host).status()).isEqualTo(200);
        int auditFrom = gateway.auditLines().size();
        String config = gateway.dir.resolve("portcullis.yaml").toString();
        Run before = usersList("--config", config);
        assertThat(before.out().lines()).as(before.err())
                .anySatisfy(line -> assertThat(line).startsWith("alice ")
                        .contains("1 authenticator app, 9 recovery codes").containsPattern("2026-11-29 \\d\\d:\\d\\dZ"))
                .anySatisfy(line -> assertThat(line).startsWith("bob ").contains("  none  "));
        assertThat(usersList("--config", config, "--without-mfa").out().lines()).as("the roll-out view")
                .noneMatch(line -> line.startsWith("alice ")).anyMatch(line -> line.startsWith("bob "))
                .contains("1 user has no second factor yet");

        Run run = resetMfa("Alice", "--config", gateway.dir.resolve("portcullis.yaml").toString(), "--expires", "2h");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("removed every second factor of 'alice' (1 authenticator app, 0 security keys,"
                + " 9 unused recovery codes; also 1 used recovery code) and ended 2 sessions\n").contains("valid until 2026-11-29T11:00:00Z");
        Matcher invitation = CODE.matcher(run.out());
        assertThat(invitation.find()).as(run.out()).isTrue();
        assertThat(run.out()).doesNotContain(oldSecret);

        assertThat(gateway.navigate("app.test", "/records/1", host).status()).as("the host's session ended")
                .isEqualTo(302);
        RawResponse account = gateway.navigate("login.test", "/.portcullis/", portal);
        assertThat(account.status()).as("the portal's session ended").isEqualTo(303);
        assertThat(account.header("Location")).startsWith("/.portcullis/login");
        assertThat(flow.factors().totp().list("alice")).isEmpty();
        assertThat(flow.factors().recoveryCodes().remaining("alice")).isZero();
        assertThat(gateway.awaitAuditLine(auditFrom, "users.reset_mfa"))
                .anySatisfy(line -> assertThat(line).contains("\"admin.command\"").contains("sessions_ended=2")
                        .contains("recovery_codes_removed=9 used_recovery_codes_removed=1"))
                .noneSatisfy(line -> assertThat(line).contains(invitation.group(1)));

        assertThat(usersList("--config", config, "--without-mfa").out()).contains("2 users have no second factor yet");
        clock.advance(Duration.ofSeconds(30));
        SignInGateway.SignIn passwordOnly = gateway.signIn("alice", SignInGateway.PASSWORD, "");
        assertThat(passwordOnly.location()).as("no second factor is asked for: there is none")
                .isNotEqualTo("/.portcullis/second-factor");
        String cookie = passwordOnly.cookie();
        String token = flow.token("/.portcullis/second-factor", cookie);
        assertThat(flow.post("/.portcullis/second-factor", cookie, token, "code=" + flow.code(oldSecret)).status())
                .as("the old app's code").isEqualTo(401);

        RawResponse page = flow.post("/.portcullis/enrol", cookie, token, "step=invitation&invitation="
                + SignInGateway.encode(invitation.group(1)));
        assertThat(page.status()).as(page.bodyText()).isEqualTo(200);
        EnrolmentQr.Scanned scanned = EnrolmentQr.scan(page.bodyText());
        assertThat(scanned.secret()).isNotEqualTo(oldSecret);
        RawResponse confirmed = flow.post("/.portcullis/enrol", cookie, token, "step=confirm&code="
                + flow.code(scanned.secret(), scanned.parameters()));
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.bodyText()).contains("<li><code>");
        assertThat(flow.factors().totp().active("alice")).hasSize(1);
    }

    @Test
    void badInputChangesNothing(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        flow = new TotpFlow(gateway, clock);
        flow.enrol("alice");
        String data = gateway.dataDir.toString();

        assertThat(resetMfa("alice", "--data-dir", data, "--file", dir.resolve("users.yaml").toString(), "--expires", "31d").exitCode()).isEqualTo(2);
        assertThat(resetMfa("alice", "--data-dir", data, "--file", dir.resolve("users.yaml").toString(), "--portal-url", "javascript:alert(1)").exitCode())
                .isEqualTo(2);
        assertThat(resetMfa("alice", "--data-dir", dir.resolve("nope").toString(), "--file",
                dir.resolve("users.yaml").toString()).exitCode()).isEqualTo(2);
        Run nobody = resetMfa("nobody", "--config", dir.resolve("portcullis.yaml").toString());
        assertThat(nobody.exitCode()).as("not a user: no code for whoever is added under that name later")
                .isEqualTo(2);
        assertThat(nobody.err()).contains("no user 'nobody' in " + dir.resolve("users.yaml"));
        assertThat(nobody.out()).isEmpty();
        assertThat(flow.factors().totp().active("alice")).hasSize(1);
    }
}
