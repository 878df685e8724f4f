package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Signing in with a password and a TOTP code through the real gateway over TLS (issue 5 §2, SECURITY-RULES 12, 13):
 * codes come from {@code oathtool}, time from a {@link MutableClock}. Every test moves the clock two periods on, so
 * each starts on a time step nobody has used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TotpSignInTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);
    static final String WRONG_CODE = "That code did not work.";

    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;
    String aliceSecret;
    String bobSecret;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "");
        flow = new TotpFlow(gateway, clock);
        aliceSecret = flow.enrol("alice");
        bobSecret = flow.enrol("bob");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    int nextAddress = 10;

    @BeforeEach
    void nextSteps() throws Exception {
        clock.advance(Duration.ofSeconds(60));
        flow.postFrom(nextAddress++);
        flow.unlock("alice", "bob");
        gateway.drainUpstream();
    }

    String rd(String target) {
        return "https://app.test:" + gateway.port + target;
    }

    @Test
    void passwordThenCodeReachesATwoFactorRoute() throws Exception {
        RawResponse challenged = gateway.navigate("app.test", "/records/7", "");
        assertThat(challenged.status()).isEqualTo(302);
        String pending = flow.password("alice", SignInGateway.PASSWORD, rd("/records/7"));

        RawResponse answer = flow.submitCode(pending, flow.code(aliceSecret));

        assertThat(answer.status()).isEqualTo(303);
        assertThat(answer.header("Location")).startsWith("https://app.test:" + gateway.port
                + "/.portcullis/callback?code=");
        String portal = SignInGateway.cookiePair(answer, "__Host-portcullis");
        assertThat(portal).as("a new id after the second factor").isNotNull().isNotEqualTo(pending);
        assertThat(gateway.navigate("login.test", "/.portcullis/", pending).status())
                .as("the pending id is gone").isEqualTo(303);
        SignInGateway.SignIn host = gateway.callback(answer.header("Location"));
        assertThat(host.location()).isEqualTo("/records/7");
        RawResponse page = gateway.navigate("app.test", "/records/7", host.cookie());
        assertThat(page.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /records/7 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("alice");
    }

    @Test
    void aHalfSignedInSessionReachesOnlyTheSecondFactorPagesAndSignOut() throws Exception {
        String pending = flow.password("alice", SignInGateway.PASSWORD, rd("/records/1"));

        for (String target : List.of("/records/1", "/a")) {
            RawResponse protectedRoute = gateway.navigate("app.test", target, pending);
            assertThat(protectedRoute.status()).as(target).isEqualTo(302);
            assertThat(protectedRoute.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/login");
        }
        RawResponse api = gateway.send("GET", "app.test", "/a", "Accept: application/json\r\nCookie: "
                + pending + "\r\n", null);
        assertThat(api.status()).isEqualTo(401);
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing reached the upstream").isNull();

        for (String portalPage : List.of("/.portcullis/", "/.portcullis/login", "/.portcullis/enrol",
                "/.portcullis/factors")) {
            RawResponse answer = gateway.navigate("login.test", portalPage, pending);
            assertThat(answer.status()).as(portalPage).isEqualTo(303);
            assertThat(answer.header("Location")).as(portalPage).isEqualTo("/.portcullis/second-factor");
        }
        String token = flow.token("/.portcullis/second-factor", pending);
        RawResponse enrol = flow.post("/.portcullis/enrol", pending, token, "step=start");
        assertThat(enrol.status()).isEqualTo(303);
        assertThat(enrol.header("Location")).isEqualTo("/.portcullis/second-factor");
        assertThat(flow.factors().totp().list("alice")).as("no authenticator was added").hasSize(1);

        RawResponse out = flow.post("/.portcullis/logout", pending, token, "");
        assertThat(out.status()).isEqualTo(200);
        assertThat(gateway.navigate("login.test", "/.portcullis/second-factor", pending).status()).isEqualTo(303);
    }

    @Test
    void aWrongCodeIsRefusedWithoutSayingWhyAndTheSessionStaysPending() throws Exception {
        String pending = flow.password("alice", SignInGateway.PASSWORD, rd("/records/2"));
        int auditFrom = gateway.auditLines().size();
        String right = flow.code(aliceSecret);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);

        for (String code : List.of(wrong, "12345", "١٢٣٤٥٦", "12 345")) {
            RawResponse answer = flow.submitCode(pending, code);
            assertThat(answer.status()).as(code).isEqualTo(401);
            assertThat(answer.bodyText()).as(code).contains(WRONG_CODE).contains("role=\"alert\"");
            assertThat(answer.headers("Set-Cookie")).as(code).isEmpty();
        }
        assertThat(gateway.awaitAuditLine(auditFrom, "factor.verify", "malformed"))
                .anySatisfy(line -> assertThat(line).contains("\"wrong_code\""))
                .noneSatisfy(line -> assertThat(line).contains(right));
        assertThat(gateway.navigate("app.test", "/records/2", pending).status()).isEqualTo(302);
    }

    @Test
    void aCodeWorksOnceAlsoInTheNextRequestWithinTheWindow() throws Exception {
        String code = flow.code(aliceSecret);
        String first = flow.password("alice", SignInGateway.PASSWORD, rd("/records/3"));
        assertThat(flow.submitCode(first, code).status()).isEqualTo(303);
        int auditFrom = gateway.auditLines().size();

        String second = flow.password("alice", SignInGateway.PASSWORD, rd("/records/3"));
        RawResponse again = flow.submitCode(second, code);
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.bodyText()).contains(WRONG_CODE);
        assertThat(gateway.awaitAuditLine(auditFrom, "factor.replay")).anySatisfy(line ->
                assertThat(line).contains("\"factor.replay\"").contains("\"replay\"").contains("\"alice\""));

        clock.advance(Duration.ofSeconds(25)); // the code's step is still inside the ±1 window
        assertThat(flow.submitCode(second, code).status()).isEqualTo(401);
        assertThat(flow.submitCode(second, flow.code(aliceSecret, 30)).status())
                .as("the next step's code is fresh").isEqualTo(303);
    }

    @Test
    void twentyParallelSubmissionsOfOneCodeSucceedOnce() throws Exception {
        List<String> sessions = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String pending = flow.password("alice", SignInGateway.PASSWORD, rd("/records/4"));
            sessions.add(pending);
            tokens.add(flow.token("/.portcullis/second-factor", pending));
        }
        String code = flow.code(aliceSecret);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RawResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String cookie = sessions.get(i);
                String token = tokens.get(i);
                answers.add(pool.submit(() -> {
                    start.await();
                    return flow.post("/.portcullis/second-factor", cookie, token, "code=" + code);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<RawResponse> answer : answers) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).filteredOn(s -> s == 303).hasSize(1);
            // The others are replays: refused, and counted, so once five have been the account's lock answers.
            assertThat(statuses).filteredOn(s -> s == 401 || s == 429).hasSize(19);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRecoveryCodeWorksOnceInPlaceOfTheCodeAndSaysHowManyRemain() throws Exception {
        List<String> codes = flow.factors().recoveryCodes().generate("alice", clock.instant()).reveal();
        int auditFrom = gateway.auditLines().size();
        String pending = flow.password("alice", SignInGateway.PASSWORD, rd("/records/5"));
        String token = flow.token("/.portcullis/second-factor", pending);

        RawResponse used = flow.post("/.portcullis/second-factor", pending, token,
                "recovery_code=" + SignInGateway.encode(codes.get(3).toLowerCase()));

        assertThat(used.status()).isEqualTo(200);
        assertThat(used.bodyText()).contains("Recovery codes left: 9");
        String signedIn = SignInGateway.cookiePair(used, "__Host-portcullis");
        assertThat(signedIn).isNotNull().isNotEqualTo(pending);
        RawResponse onwards = gateway.navigate("login.test", gateway.loginTarget(rd("/records/5")), signedIn);
        assertThat(onwards.status()).isEqualTo(303);
        SignInGateway.SignIn host = gateway.callback(onwards.header("Location"));
        assertThat(gateway.navigate("app.test", "/records/5", host.cookie()).status()).isEqualTo(200);
        assertThat(gateway.awaitAuditLine(auditFrom, "recovery_code.use", "remaining_9")).isNotEmpty()
                .noneSatisfy(line -> assertThat(line).contains(codes.get(3)));

        String again = flow.password("alice", SignInGateway.PASSWORD, rd("/records/5"));
        RawResponse reused = flow.post("/.portcullis/second-factor", again,
                flow.token("/.portcullis/second-factor", again), "recovery_code=" + SignInGateway.encode(codes.get(3)));
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.bodyText()).contains(WRONG_CODE);
    }

    @Test
    void fiveWrongCodesAcrossSessionsLockTheSecondFactorOfTheAccount() throws Exception {
        int auditFrom = gateway.auditLines().size();
        String right = flow.code(bobSecret);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 7) % 1_000_000);
        for (int i = 0; i < 5; i++) {
            String pending = flow.password("bob", SignInGateway.BOB_PASSWORD, rd("/records/6"));
            assertThat(flow.submitCode(pending, wrong).status()).isEqualTo(401);
        }
        String pending = flow.password("bob", SignInGateway.BOB_PASSWORD, rd("/records/6"));
        RawResponse locked = flow.submitCode(pending, right);
        assertThat(locked.status()).as("even the right code, while locked").isEqualTo(429);
        assertThat(locked.bodyText()).contains("Too many wrong codes");
        assertThat(gateway.awaitAuditLine(auditFrom, "user.lockout", "totp_account")).anySatisfy(line ->
                assertThat(line).contains("\"user.lockout\"").contains("\"bob\""));
        assertThat(flow.password("bob", SignInGateway.BOB_PASSWORD, rd("/records/6")))
                .as("the password step has its own counter").isNotNull();
    }

    @Test
    void theAccountPageListsFactorsAndChangesNeedAFreshSecondFactor() throws Exception {
        String pending = flow.password("alice", SignInGateway.PASSWORD, "");
        RawResponse done = flow.submitCode(pending, flow.code(aliceSecret));
        assertThat(done.status()).isEqualTo(303);
        String cookie = SignInGateway.cookiePair(done, "__Host-portcullis");

        RawResponse account = gateway.navigate("login.test", "/.portcullis/", cookie);
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.bodyText()).contains("Your authenticators").contains("<td>Phone</td>")
                .contains("Authenticator app (TOTP)").contains("2026-11-29");
        String id = flow.factors().totp().active("alice").get(0).id();
        String token = flow.token("/.portcullis/", cookie);

        RawResponse last = flow.post("/.portcullis/factors", cookie, token, "action=remove&id=" + id
                + "&confirmed=yes");
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.bodyText()).contains("You cannot remove your only authenticator");
        assertThat(flow.factors().totp().hasActive("alice")).isTrue();

        RawResponse renamed = flow.post("/.portcullis/factors", cookie, token, "action=rename&id=" + id
                + "&name=" + SignInGateway.encode("Work phone"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.bodyText()).contains("<td>Work phone</td>");

        clock.advance(Duration.ofMinutes(6));
        RawResponse stale = flow.post("/.portcullis/factors", cookie, token, "action=rename&id=" + id
                + "&name=Old");
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.bodyText()).contains("confirm it is you with a code first");
        assertThat(flow.factors().totp().active("alice").get(0).name()).isEqualTo("Work phone");
        flow.factors().totp().rename("alice", id, "Phone");
    }
}
