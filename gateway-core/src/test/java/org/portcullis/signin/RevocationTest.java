package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import picocli.CommandLine;

/**
 * Sessions ending from outside the browser, through the real gateway (SECURITY-RULES 11): an administrator's
 * {@code portcullis sessions revoke} takes effect on the running gateway's next request, and a session in constant use
 * still ends at its absolute lifetime of 12 hours.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);

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
    void drain() {
        gateway.drainUpstream();
    }

    String rd(String target) {
        return "https://app.test:" + gateway.port + target;
    }

    /** Signs in and joins app.test; returns {portal cookie, app.test cookie}. */
    String[] signedIn(String user, String password) throws Exception {
        SignInGateway.SignIn portal = gateway.signIn(user, password, rd("/x"));
        return new String[] {portal.cookie(), gateway.callback(portal.location()).cookie()};
    }

    @Test
    void sessionsRevokeByUserEndsAlicesSessionsOnTheRunningGatewayAndLeavesBobs() throws Exception {
        String[] alice = signedIn("alice", SignInGateway.PASSWORD);
        String[] bob = signedIn("bob", SignInGateway.BOB_PASSWORD);
        assertThat(gateway.navigate("app.test", "/x", alice[1]).status()).isEqualTo(200);
        drain();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PortcullisMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("sessions", "revoke", "--user", "alice", "--data-dir", gateway.dataDir.toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("revoked 2 sessions\n");

        RawResponse app = gateway.navigate("app.test", "/x", alice[1]);
        assertThat(app.status()).isEqualTo(302);
        assertThat(app.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/login?rd=");
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
        RawResponse portal = gateway.navigate("login.test", "/.portcullis/login?rd=%2F.portcullis%2F", alice[0]);
        assertThat(portal.status()).as("the portal shows the form again").isEqualTo(200);

        assertThat(gateway.navigate("app.test", "/y", bob[1]).status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /y HTTP/1.1");
    }

    @Test
    void aSessionInConstantUseStillEndsAtTwelveHours() throws Exception {
        String[] bob = signedIn("bob", SignInGateway.BOB_PASSWORD);

        // 35 × 20 minutes = 11 h 40 min, never idle for more than 20 minutes.
        for (int i = 1; i <= 35; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(gateway.navigate("app.test", "/x", bob[1]).status()).as("after %d min", 20 * i)
                    .isEqualTo(200);
        }
        drain();
        clock.advance(Duration.ofMinutes(21));

        RawResponse ended = gateway.navigate("app.test", "/x", bob[1]);
        assertThat(ended.status()).isEqualTo(302);
        assertThat(ended.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("__Host-portcullis=;"));
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }
}
