package org.portcullis.signin;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCredentials;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.totp.TotpParameters;

/**
 * The second-factor steps of a browser against a {@link SignInGateway}, with codes computed by Debian's
 * {@code oathtool}, an implementation independent of ours (issue 5 §6). When {@code CI=true} a missing oathtool fails
 * the test instead of skipping it, so the interoperability check cannot silently disappear from CI.
 */
final class TotpFlow {
    /** {@code records} on app.test needs two factors; the rest of app.test and other.test one. */
    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: public
                  paths: ["/public/**"]
                  policy: bypass
                - id: records
                  hosts: [app.test]
                  paths: ["/records/**"]
                  policy: two_factor
                - id: signed-in
                  hosts: [app.test, other.test]
                  policy: one_factor
            """;
    private static final Path OATHTOOL = Path.of("/usr/bin/oathtool");
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    final SignInGateway gateway;
    final Clock clock;
    /** The loopback address second-factor forms are posted from (its own address counter per test); null: 127.0.0.1. */
    java.net.InetAddress from;

    TotpFlow(SignInGateway gateway, Clock clock) {
        this.gateway = gateway;
        this.clock = clock;
    }

    /** Posts from 127.0.0.{@code last} from now on (not .2: that is the trusted proxy). */
    void postFrom(int last) throws IOException {
        from = java.net.InetAddress.getByName("127.0.0." + last);
    }

    /** Forgets the TOTP failures of {@code users}' accounts, so one test's wrong codes do not lock the next. */
    void unlock(String... users) {
        var runtime = gateway.server.runtime();
        var regulator = gateway.server.signIn().orElseThrow().regulators().forConfig(runtime.snapshot().config());
        for (String user : users) {
            regulator.unlock(org.portcullis.regulation.CounterKind.TOTP, user);
        }
    }

    SecondFactors factors() {
        return gateway.server.signIn().orElseThrow().secondFactors();
    }

    /** Gives {@code user} an active authenticator, as a finished enrolment would; returns its Base32 secret. */
    String enrol(String user) {
        TotpCredentials totp = factors().totp();
        TotpCredentials.Enrolment enrolment = totp.startEnrolment(user, "Phone", TotpParameters.defaults());
        totp.activate(user, enrolment.credential().id());
        return enrolment.secret().base32();
    }

    /** The code oathtool computes for {@code base32} at the gateway's clock plus {@code offsetSeconds}. */
    String code(String base32, long offsetSeconds) {
        return oathtool(base32, clock.instant().getEpochSecond() + offsetSeconds);
    }

    String code(String base32) {
        return code(base32, 0);
    }

    /** oathtool's code for {@code base32} with {@code parameters} at the gateway's clock. */
    String code(String base32, TotpParameters parameters) {
        return oathtool(base32, clock.instant().getEpochSecond(), parameters);
    }

    /** Password at the portal; asserts the session is sent to the second-factor page; returns the portal cookie. */
    String password(String user, String password, String rd) throws IOException {
        SignInGateway.LoginForm form = gateway.loginForm(rd);
        RawResponse answer = gateway.postLogin(form, user, password, rd, "");
        if (answer.status() != 303 || !"/.portcullis/second-factor".equals(answer.header("Location"))) {
            throw new AssertionError("expected the second-factor page: " + answer.statusLine() + " "
                    + answer.header("Location"));
        }
        return SignInGateway.cookiePair(answer, "__Host-portcullis");
    }

    /** The CSRF token of the page at {@code target} on the portal for {@code cookie}. */
    String token(String target, String cookie) throws IOException {
        RawResponse page = gateway.navigate("login.test", target, cookie);
        Matcher token = CSRF_FIELD.matcher(page.bodyText());
        if (page.status() != 200 || !token.find()) {
            throw new AssertionError("no form at " + target + ": " + page.statusLine() + "\n" + page.bodyText());
        }
        return token.group(1);
    }

    /** POSTs {@code body} (already form-encoded, without csrf) to a portal path as the portal's own page would. */
    RawResponse post(String path, String cookie, String token, String body) throws IOException {
        return gateway.sendFrom(from, "POST", "login.test", path, "Origin: " + gateway.portalOrigin()
                + "\r\nSec-Fetch-Site: same-origin\r\n" + SignInGateway.cookieHeader(cookie),
                "csrf=" + SignInGateway.encode(token) + (body.isEmpty() ? "" : "&" + body));
    }

    /** Submits a TOTP code on the second-factor page of {@code cookie}'s session. */
    RawResponse submitCode(String cookie, String code) throws IOException {
        return post("/.portcullis/second-factor", cookie, token("/.portcullis/second-factor", cookie),
                "code=" + SignInGateway.encode(code));
    }

    static String oathtool(String base32, long epochSeconds) {
        return oathtool(base32, epochSeconds, TotpParameters.defaults());
    }

    /** oathtool's code for {@code base32} at {@code epochSeconds} with {@code parameters}' algorithm, digits, period. */
    static String oathtool(String base32, long epochSeconds, TotpParameters parameters) {
        if (!Files.isExecutable(OATHTOOL)) {
            String message = "oathtool not found at " + OATHTOOL + " (Debian package 'oathtool')";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "; CI=true, so this interoperability check must run");
            }
            Assumptions.abort(message + "; skipped because CI is not 'true'");
        }
        try {
            Process process = new ProcessBuilder(OATHTOOL.toString(),
                    "--totp=" + parameters.algorithm().name().toLowerCase(java.util.Locale.ROOT), "--base32",
                    "--digits=" + parameters.digits(), "--time-step-size=" + parameters.periodSeconds() + "s",
                    "--now=@" + epochSeconds, base32).redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("oathtool timed out");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (process.exitValue() != 0 || !output.matches("[0-9]{" + parameters.digits() + "}")) {
                fail("oathtool failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("oathtool did not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
