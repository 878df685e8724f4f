package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.portal.page.PortalMessages;
import picocli.CommandLine;

/**
 * Account lockout through the real gateway (SECURITY-RULES 13, 18): five failures in five minutes lock an account
 * under every name it answers to, for fifteen minutes, from every address, even against the right password; unknown
 * names lock the same way so the answers reveal nothing; {@code portcullis users unlock} ends a lock at once, while
 * the gateway runs. Each test first moves the clock past every earlier window.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockoutTest {
    static final Duration NOTHING = Duration.ofMillis(300);
    static final String RD = "/.portcullis/";
    static final String COOKIE = "__Host-portcullis";
    /** The four names alice signs in with: all one account, so all one counter. */
    static final List<String> ALICE_NAMES = List.of("alice", "ALICE", "alice@example.org", "Alice@Example.org");

    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @BeforeEach
    void freshWindows() {
        clock.advance(Duration.ofMinutes(20));
        gateway.drainUpstream();
    }

    RawResponse attempt(String login, String password) throws Exception {
        return gateway.postLogin(gateway.loginForm(RD), login, password, RD, "");
    }

    /** A sign-in POST through the trusted proxy 127.0.0.2 for the client 198.51.100.7. */
    RawResponse attemptFromAnotherAddress(String login, String password) throws Exception {
        SignInGateway.LoginForm form = gateway.loginForm(RD);
        String body = "username=" + SignInGateway.encode(login) + "&password=" + SignInGateway.encode(password)
                + "&csrf=" + SignInGateway.encode(form.token()) + "&rd=" + SignInGateway.encode(RD);
        return gateway.sendFrom(InetAddress.getByName("127.0.0.2"), "POST", "login.test", "/.portcullis/login",
                "X-Forwarded-For: 198.51.100.7\r\nOrigin: " + gateway.portalOrigin()
                        + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + form.cookie() + "\r\n", body);
    }

    void lockAlice() throws Exception {
        for (int i = 0; i < 5; i++) {
            RawResponse wrong = attempt(ALICE_NAMES.get(i % ALICE_NAMES.size()), "wrong password " + i);
            assertThat(wrong.status()).as("failure %d", i + 1).isEqualTo(401);
            assertThat(wrong.bodyText()).contains(PortalMessages.WRONG_CREDENTIALS);
        }
    }

    static void assertLocked(RawResponse answer) {
        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.bodyText()).contains(PortalMessages.LOCKED_TITLE);
        assertThat(SignInGateway.cookiePair(answer, COOKIE)).isNull();
        assertThat(answer.header("Location")).isNull();
    }

    @Test
    void fiveFailuresUnderAnyOfAlicesNamesLockHerEvenAgainstTheRightPasswordFromAnyAddress() throws Exception {
        lockAlice();

        assertLocked(attempt("alice", SignInGateway.PASSWORD));
        assertLocked(attempt("Alice@Example.org", SignInGateway.PASSWORD));
        assertLocked(attemptFromAnotherAddress("alice", SignInGateway.PASSWORD));
        assertThat(gateway.awaitAuditLine(0, "\"event.reason\":\"locked_account\"")).anySatisfy(line -> assertThat(line)
                .contains("\"event.action\":\"user.sign_in\"").contains("\"event.reason\":\"locked_account\""));
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();

        // The address is not locked by five failures: bob signs in from it.
        assertThat(attempt("bob", SignInGateway.BOB_PASSWORD).status()).isEqualTo(303);
    }

    @Test
    void theLockEndsAfterFifteenMinutes() throws Exception {
        lockAlice();
        clock.advance(Duration.ofMinutes(14));
        assertLocked(attempt("alice", SignInGateway.PASSWORD));

        clock.advance(Duration.ofMinutes(2));
        RawResponse answer = attempt("alice", SignInGateway.PASSWORD);

        assertThat(answer.status()).isEqualTo(303);
        assertThat(SignInGateway.cookiePair(answer, COOKIE)).isNotNull();
    }

    @Test
    void usersUnlockEndsTheLockAtOnceWhileTheGatewayRuns() throws Exception {
        lockAlice();
        assertLocked(attempt("alice", SignInGateway.PASSWORD));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PortcullisMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("users", "unlock", "alice", "--data-dir", gateway.dataDir.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("unlocked 'alice'");
        RawResponse answer = attempt("alice", SignInGateway.PASSWORD);
        assertThat(answer.status()).isEqualTo(303);
        assertThat(SignInGateway.cookiePair(answer, COOKIE)).isNotNull();
    }

    @Test
    void unknownNamesFailAndLockExactlyLikeRealOnes() throws Exception {
        for (int i = 0; i < 5; i++) {
            RawResponse wrong = attempt("mallory@example.org", "guess " + i);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.bodyText()).contains(PortalMessages.WRONG_CREDENTIALS);
            assertThat(SignInGateway.cookiePair(wrong, COOKIE)).isNull();
        }

        assertLocked(attempt("mallory@example.org", "guess 5"));
        assertLocked(attempt("MALLORY@example.org", "guess 6"));
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void twentyFailuresFromOneAddressLockTheAddressButNotTheAccountElsewhere() throws Exception {
        // A spray across many names from one client: the address limit (20 in 5 minutes) stops it.
        for (int i = 0; i < 20; i++) {
            assertThat(attemptFromAnotherAddress("user" + i, "guess").status()).isEqualTo(401);
        }

        assertLocked(attemptFromAnotherAddress("bob", SignInGateway.BOB_PASSWORD));
        assertThat(attempt("bob", SignInGateway.BOB_PASSWORD).status()).as("from another address")
                .isEqualTo(303);
    }
}
