package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.server.ConfigReloader;

/**
 * A reload that shortens {@code sessions.absolute_timeout} or {@code idle_timeout} applies to sessions that already
 * exist, at their next request (the timeouts come from the config snapshot of the request, not from the session's
 * creation), through the running gateway with its config file reloaded and a hand-moved clock. A longer timeout never
 * lengthens an existing session's life.
 */
@Timeout(120)
class SessionTimeoutReloadTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    ConfigReloader reloader;
    Path config;
    String original;

    void start(Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock);
        config = dir.resolve("portcullis.yaml");
        original = Files.readString(config);
        reloader = new ConfigReloader(config, gateway.server);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Rewrites the config file with {@code sessions} and reloads it, as an admin's edit and SIGHUP would. */
    void reloadWith(String idle, String absolute) throws Exception {
        Files.writeString(config, original + "sessions:\n  idle_timeout: " + idle + "\n  absolute_timeout: "
                + absolute + "\n");
        assertThat(reloader.reload()).isEqualTo(ConfigReloader.Outcome.APPLIED);
    }

    String signedIn() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "https://app.test:"
                + gateway.port + "/a");
        String app = gateway.callback(portal.location()).cookie();
        assertThat(gateway.navigate("app.test", "/a", app).status()).isEqualTo(200);
        return app;
    }

    /** Uses the session every {@code step} (so it never idles out) until {@code total} has passed. */
    void keepUsing(String cookie, Duration total, Duration step) throws Exception {
        for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(step)) {
            clock.advance(step);
            assertThat(gateway.navigate("app.test", "/a", cookie).status()).as("in use after " + done.plus(step))
                    .isEqualTo(200);
        }
    }

    @Test
    void aShorterAbsoluteTimeoutEndsExistingSessionsAtTheirNextRequest(@TempDir Path dir) throws Exception {
        start(dir);
        String cookie = signedIn();
        keepUsing(cookie, Duration.ofMinutes(100), Duration.ofMinutes(20));

        reloadWith("30m", "2h");
        keepUsing(cookie, Duration.ofMinutes(19), Duration.ofMinutes(19));
        clock.advance(Duration.ofMinutes(1));
        int auditFrom = gateway.auditLines().size();
        RawResponse ended = gateway.navigate("app.test", "/a", cookie);

        assertThat(ended.status()).as("two hours after the first factor").isEqualTo(302);
        assertThat(ended.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("__Host-portcullis=;"));
        assertThat(gateway.awaitAuditLine(auditFrom, "session.expire", "absolute_timeout"))
                .anyMatch(line -> line.contains("\"event.action\":\"session.expire\"")
                        && line.contains("absolute_timeout"));
    }

    @Test
    void aLongerAbsoluteTimeoutDoesNotLengthenExistingSessions(@TempDir Path dir) throws Exception {
        start(dir);
        reloadWith("30m", "1h");
        String cookie = signedIn();
        reloadWith("30m", "12h");
        keepUsing(cookie, Duration.ofMinutes(59), Duration.ofMinutes(59).dividedBy(3));
        clock.advance(Duration.ofMinutes(1));

        assertThat(gateway.navigate("app.test", "/a", cookie).status()).as("still one hour").isEqualTo(302);
    }

    @Test
    void aShorterIdleTimeoutAppliesToExistingSessionsAtTheirNextRequest(@TempDir Path dir) throws Exception {
        start(dir);
        String cookie = signedIn();
        clock.advance(Duration.ofMinutes(9));
        assertThat(gateway.navigate("app.test", "/a", cookie).status()).isEqualTo(200);

        reloadWith("10m", "12h");
        // Half a minute on: used, but too soon to move the idle deadline (at most once a minute), so the session
        // still has the deadline it got under the 30 minute setting; the new setting must decide all the same.
        clock.advance(Duration.ofSeconds(30));
        assertThat(gateway.navigate("app.test", "/a", cookie).status()).as("30 seconds idle").isEqualTo(200);
        clock.advance(Duration.ofSeconds(570));
        int auditFrom = gateway.auditLines().size();
        RawResponse ended = gateway.navigate("app.test", "/a", cookie);

        assertThat(ended.status()).as("10 minutes after the last deadline move").isEqualTo(302);
        assertThat(gateway.awaitAuditLine(auditFrom, "session.expire", "idle_timeout"))
                .anyMatch(line -> line.contains("\"event.action\":\"session.expire\"")
                        && line.contains("idle_timeout"));
    }
}
