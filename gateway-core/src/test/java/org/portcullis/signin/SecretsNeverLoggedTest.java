package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.slf4j.LoggerFactory;

/**
 * Issue 7 §6, SECURITY-RULES 20: after a full end-to-end run (a wrong password, an invitation, enrolling an
 * authenticator app, recovery codes, signing in with a password and a TOTP code, with a recovery code, single
 * sign-on callbacks, a protected page, sign-out), neither the audit file nor anything the application logged (every
 * Portcullis logger at DEBUG captured through a logback appender, and the access log's file) contains any password,
 * TOTP secret or code, recovery code, invitation code, session cookie value, CSRF token or cookie, or callback code the
 * run used.
 */
@Timeout(120)
class SecretsNeverLoggedTest {
    private static final Pattern MANUAL_KEY = Pattern.compile("<code id=\"manual-key\">([A-Z2-7 ]+)</code>");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>");
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern CALLBACK_CODE = Pattern.compile("[?&]code=([^&]+)");
    private static final String WRONG_PASSWORD = "Tr0ub4dor&3-not-alices";

    /** What the run used that must never be written, by what it is (for the failure message). */
    private final Map<String, String> secrets = new LinkedHashMap<>();

    private void secret(String what, String value) {
        assertThat(value).as(what).isNotBlank();
        secrets.put(value, what);
    }

    /** The value of a {@code name=value} cookie pair. */
    private void cookie(String what, String pair) {
        assertThat(pair).as(what).isNotNull();
        secret(what, pair.substring(pair.indexOf('=') + 1));
    }

    private void pageTokens(String what, RawResponse page) {
        Matcher token = CSRF_FIELD.matcher(page.bodyText());
        while (token.find()) {
            secret(what + " CSRF token", token.group(1));
        }
        for (String setCookie : page.headers("Set-Cookie")) {
            String pair = setCookie.substring(0, setCookie.indexOf(';'));
            if (pair.indexOf('=') < pair.length() - 1) {
                cookie(what + " cookie " + pair.substring(0, pair.indexOf('=')), pair);
            }
        }
    }

    private void callback(String what, String location) {
        Matcher code = CALLBACK_CODE.matcher(location);
        assertThat(code.find()).as(what + ": " + location).isTrue();
        secret(what + " callback code", SignInGateway.decode(code.group(1)));
    }

    @Test
    void noSecretOfAFullSignInRunReachesTheAuditFileOrTheApplicationLog(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Runnable stopCapture = captureLogs(logged);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
        SignInGateway gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        try {
            run(gateway, new TotpFlow(gateway, clock), clock);
        } finally {
            gateway.close(); // writes out the audit queue
            stopCapture.run();
        }
        secret("alice's password", SignInGateway.PASSWORD);
        secret("bob's password", SignInGateway.BOB_PASSWORD);
        secret("a wrong password", WRONG_PASSWORD);

        List<Path> auditFiles = org.portcullis.audit.AuditFiles.trail(gateway.audit);
        assertThat(auditFiles).isNotEmpty();
        StringBuilder audit = new StringBuilder();
        for (Path file : auditFiles) {
            audit.append(Files.readString(file, StandardCharsets.UTF_8));
        }
        // the application log, and the access log (its own file since issue 21, no longer through logback)
        String log = logged.toString(StandardCharsets.UTF_8)
                + Files.readString(dir.resolve("access.log"), StandardCharsets.UTF_8);
        // the run really was recorded: the scan looks at real output, not at empty files
        assertThat(audit).contains("\"user.sign_in\"", "\"factor.verify\"", "\"recovery_code.use\"",
                "\"invitation.redeem\"", "\"factor.enrol\"", "\"session.join\"", "\"user.sign_out\"");
        assertThat(log).contains("target=app.test/records/9", "outcome=RECOVERY_CODE_OK", "outcome=CALLBACK_OK");
        assertThat(secrets).hasSizeGreaterThan(30);

        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> each : secrets.entrySet()) {
            Pattern whole = Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(each.getKey()) + "(?![0-9A-Za-z])",
                    Pattern.CASE_INSENSITIVE);
            if (whole.matcher(audit).find()) {
                leaks.add(each.getValue() + " in the audit file");
            }
            if (whole.matcher(log).find()) {
                leaks.add(each.getValue() + " in the application log");
            }
            String encoded = SignInGateway.encode(each.getKey());
            if (!encoded.equals(each.getKey()) && (audit.indexOf(encoded) >= 0 || log.contains(encoded))) {
                leaks.add(each.getValue() + " (URL-encoded) in the output");
            }
        }
        assertThat(leaks).isEmpty();
    }

    private void run(SignInGateway gateway, TotpFlow flow, MutableClock clock) throws Exception {
        String rd = "https://app.test:" + gateway.port + "/records/9";

        // a wrong password for alice
        SignInGateway.LoginForm wrong = gateway.loginForm(rd);
        cookie("login form CSRF cookie", wrong.cookie());
        secret("login form CSRF token", wrong.token());
        RawResponse refused = gateway.postLogin(wrong, "alice", WRONG_PASSWORD, rd, "");
        assertThat(refused.status()).isNotEqualTo(303);
        pageTokens("refused login page", refused);

        // bob enrols an authenticator app with an invitation; recovery codes follow
        flow.postFrom(20);
        InvitationCode invitation = flow.factors().invitations().issue("bob", Duration.ofHours(24), clock.instant());
        secret("invitation code", invitation.reveal());
        secret("invitation code (lower case)", invitation.reveal().toLowerCase());
        SignInGateway.LoginForm bobForm = gateway.loginForm("");
        cookie("bob's login CSRF cookie", bobForm.cookie());
        secret("bob's login CSRF token", bobForm.token());
        RawResponse bobIn = gateway.postLogin(bobForm, "bob", SignInGateway.BOB_PASSWORD, "", "");
        String bob = SignInGateway.cookiePair(bobIn, "__Host-portcullis");
        cookie("bob's one-factor session", bob);
        String token = flow.token("/.portcullis/second-factor", bob);
        secret("second-factor page CSRF token", token);
        RawResponse qr = flow.post("/.portcullis/enrol", bob, token, "step=invitation&invitation="
                + SignInGateway.encode(invitation.reveal().toLowerCase()) + "&rd=" + SignInGateway.encode(rd));
        assertThat(qr.status()).isEqualTo(200);
        Matcher key = MANUAL_KEY.matcher(qr.bodyText());
        assertThat(key.find()).isTrue();
        String bobSecret = key.group(1).replace(" ", "");
        secret("bob's TOTP secret", bobSecret);
        secret("bob's TOTP secret as shown", key.group(1));
        String enrolCode = flow.code(bobSecret);
        secret("TOTP code confirming enrolment", enrolCode);
        RawResponse confirmed = flow.post("/.portcullis/enrol", bob, token, "step=confirm&code=" + enrolCode
                + "&name=" + SignInGateway.encode("My phone") + "&rd=" + SignInGateway.encode(rd));
        assertThat(confirmed.status()).isEqualTo(200);
        Matcher codes = RECOVERY_CODE.matcher(confirmed.bodyText());
        List<String> recoveryCodes = new ArrayList<>();
        while (codes.find()) {
            recoveryCodes.add(codes.group(1));
            secret("recovery code", codes.group(1));
            secret("recovery code without its dash", codes.group(1).replace("-", ""));
        }
        assertThat(recoveryCodes).hasSize(10);
        cookie("bob's session after enrolment", SignInGateway.cookiePair(confirmed, "__Host-portcullis"));
        pageTokens("recovery codes page", confirmed);

        // bob again later: a wrong code, then a recovery code; then the callback to app.test
        clock.advance(Duration.ofSeconds(90));
        String pending = flow.password("bob", SignInGateway.BOB_PASSWORD, rd);
        cookie("bob's pending session", pending);
        String right = flow.code(bobSecret);
        String wrongCode = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
        secret("a wrong TOTP code", wrongCode);
        assertThat(flow.submitCode(pending, wrongCode).status()).isEqualTo(401);
        String pendingToken = flow.token("/.portcullis/second-factor", pending);
        secret("second-factor CSRF token", pendingToken);
        RawResponse recovered = flow.post("/.portcullis/second-factor", pending, pendingToken,
                "recovery_code=" + SignInGateway.encode(recoveryCodes.get(2)));
        assertThat(recovered.status()).isEqualTo(200);
        String bobSignedIn = SignInGateway.cookiePair(recovered, "__Host-portcullis");
        cookie("bob's session after the recovery code", bobSignedIn);
        RawResponse onwards = gateway.navigate("login.test", gateway.loginTarget(rd),
                bobSignedIn);
        callback("bob's", onwards.header("Location"));
        SignInGateway.SignIn bobHost = gateway.callback(onwards.header("Location"));
        cookie("bob's app.test session", bobHost.cookie());
        assertThat(gateway.navigate("app.test", "/records/9", bobHost.cookie()).status()).isEqualTo(200);

        // alice: password and a TOTP code from her app, the callback, the page, then sign-out
        clock.advance(Duration.ofSeconds(90));
        flow.postFrom(21);
        String aliceSecret = flow.enrol("alice");
        secret("alice's TOTP secret", aliceSecret);
        String alicePending = flow.password("alice", SignInGateway.PASSWORD, rd);
        cookie("alice's pending session", alicePending);
        String aliceCode = flow.code(aliceSecret);
        secret("alice's TOTP code", aliceCode);
        RawResponse answer = flow.submitCode(alicePending, aliceCode);
        assertThat(answer.status()).isEqualTo(303);
        String alice = SignInGateway.cookiePair(answer, "__Host-portcullis");
        cookie("alice's two-factor session", alice);
        callback("alice's", answer.header("Location"));
        SignInGateway.SignIn aliceHost = gateway.callback(answer.header("Location"));
        cookie("alice's app.test session", aliceHost.cookie());
        assertThat(gateway.navigate("app.test", "/records/9?patient=1", aliceHost.cookie()).status()).isEqualTo(200);
        String outToken = flow.token("/.portcullis/", alice);
        secret("account page CSRF token", outToken);
        assertThat(flow.post("/.portcullis/logout", alice, outToken, "").status()).isEqualTo(200);
    }

    /** Sends every Portcullis log event at DEBUG (the access log included) to {@code out}; returns the undo. */
    static Runnable captureLogs(ByteArrayOutputStream out) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %msg %mdc %ex%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("secrets-scan");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        // only to the capture: the DEBUG lines stay out of the build output
        List<Logger> loggers = List.of(context.getLogger("org.portcullis"), context.getLogger("portcullis"));
        List<Level> levels = loggers.stream().map(Logger::getLevel).toList();
        List<Boolean> additive = loggers.stream().map(Logger::isAdditive).toList();
        for (Logger logger : loggers) {
            logger.setLevel(Level.DEBUG);
            logger.addAppender(appender);
            logger.setAdditive(false);
        }
        Logger access = context.getLogger("portcullis.access");
        Level accessLevel = access.getLevel();
        access.setLevel(Level.DEBUG);
        return () -> {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).detachAppender(appender);
                loggers.get(i).setLevel(levels.get(i));
                loggers.get(i).setAdditive(additive.get(i));
            }
            access.setLevel(accessLevel);
            appender.stop();
        };
    }
}
