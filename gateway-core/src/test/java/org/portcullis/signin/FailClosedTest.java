package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.proxy.RefusalLog;
import org.portcullis.server.GatewayServer;
import org.portcullis.session.SessionInvalidation;
import org.portcullis.storage.StorageExecutor;
import org.slf4j.LoggerFactory;

/**
 * SECURITY-RULES 10 through the running gateway: when the store cannot say whose session a cookie names (the database
 * fails, the storage threads are closed, full, or slower than their deadline) and the session is not in the node's
 * session cache, a signed-in user's request is refused
 * with 503. It is never treated as anonymous (a redirect to sign in would look like being signed out, and the cookie
 * must not be cleared by an outage), never forwarded, and never challenged; only a request a bypass rule lets through
 * without any session still passes, without identity. A failing portal endpoint answers a bare 500 page, and a request
 * whose identity cannot be made is refused rather than forwarded without it. Each refusal is logged, rate-limited,
 * with its request id and cause and never the cookie.
 */
@Timeout(120)
class FailClosedTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);
    /** The storage threads' deadline in these tests: short, so a stalled store shows within the test. */
    static final Duration DEADLINE = Duration.ofMillis(300);

    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: public
                  paths: ["/public/**"]
                  policy: bypass
                - id: strong
                  hosts: [app.test]
                  paths: ["/strong/**"]
                  policy: two_factor
                - id: signed-in
                  hosts: [app.test, other.test]
                  policy: one_factor
            """;

    /** Ways the store stops answering, each as it happens to the running gateway. */
    enum Failure {
        /** The database fails every call (its file gone, a disk error): every store call throws. */
        DATABASE_FAILS(2, 16),
        /** The storage threads are shut down. */
        THREADS_CLOSED(2, 16),
        /** Every storage thread is stuck and the queue is full: new work is rejected at once. */
        THREADS_FULL(1, 2),
        /** The one storage thread is stuck: work queues and its deadline passes. */
        SLOWER_THAN_DEADLINE(1, 64);

        final int threads;
        final int queue;

        Failure(int threads, int queue) {
            this.threads = threads;
            this.queue = queue;
        }
    }

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    final CountDownLatch release = new CountDownLatch(1);
    StorageExecutor threads;
    SignInGateway gateway;

    void start(Failure failure) throws Exception {
        start(failure, GatewayServer.StartOptions.DEFAULT);
    }

    void start(Failure failure, GatewayServer.StartOptions options) throws Exception {
        threads = new StorageExecutor(failure.threads, failure.queue, DEADLINE);
        gateway = SignInGateway.start(dir, clock, POLICY, "", threads, options);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Signs alice in (password only) and joins app.test; returns {portal cookie, app.test cookie}. */
    String[] signedIn() throws Exception {
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD, "https://app.test:"
                + gateway.port + "/a");
        SignInGateway.SignIn app = gateway.callback(portal.location());
        assertThat(gateway.navigate("app.test", "/a", app.cookie()).status()).isEqualTo(200);
        gateway.drainUpstream();
        return new String[] {portal.cookie(), app.cookie()};
    }

    /**
     * Fails the store as {@code failure} says, with the session cache cold: these are the sessions the node has not
     * cached (a cached one is answered without the store; {@link SessionCacheTest}).
     */
    void fail(Failure failure) throws Exception {
        gateway.server.signIn().orElseThrow().sessionInvalidations()
                .publish(new SessionInvalidation.Everything());
        switch (failure) {
            case DATABASE_FAILS -> gateway.server.runtime().storage().orElseThrow().close();
            case THREADS_CLOSED -> threads.close();
            case THREADS_FULL -> {
                stall();
                // Fill the queue until the executor refuses at once.
                for (int i = 0; i <= failure.queue; i++) {
                    threads.submit(this::awaitRelease);
                }
                assertThat(threads.submit(() -> 1)).isCompletedExceptionally();
            }
            case SLOWER_THAN_DEADLINE -> stall();
            default -> throw new AssertionError(failure);
        }
    }

    /** Occupies every storage thread until the test ends. */
    void stall() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        threads.submit(() -> {
            running.countDown();
            return awaitRelease();
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).as("storage thread stalled").isTrue();
    }

    int awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aSignedInRequestWhoseSessionCannotBeLookedUpIsRefusedNotTreatedAsSignedOut(Failure failure)
            throws Exception {
        start(failure);
        String[] cookies = signedIn();
        fail(failure);

        // one_factor and two_factor routes, on the host's own cookie; the account page on the portal's.
        for (String[] request : List.of(new String[] {"app.test", "/a", cookies[1]},
                new String[] {"app.test", "/strong/x", cookies[1]},
                new String[] {"login.test", "/.portcullis/", cookies[0]})) {
            RawResponse answer = gateway.navigate(request[0], request[1], request[2]);
            assertThat(answer.status()).as(failure + " " + request[0] + request[1]).isEqualTo(503);
            assertThat(answer.header("Location")).as("no challenge: it would look like being signed out").isNull();
            assertThat(answer.headers("Set-Cookie")).as("an outage does not sign anybody out").isEmpty();
            assertThat(answer.bodyText()).doesNotContain("Exception", "portcullis.db", dir.toString());
        }
        // An API client is refused the same way: 503, never the 401 of a signed-out client.
        RawResponse api = gateway.send("GET", "app.test", "/a", "Accept: application/json\r\nCookie: "
                + cookies[1] + "\r\n", null);
        assertThat(api.status()).isEqualTo(503);
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing forwarded").isNull();

        // A bypass rule needs no session: the page still answers, as for anyone, with no identity and no cookie.
        RawResponse open = gateway.send("GET", "app.test", "/public/x", "Cookie: " + cookies[1]
                + "\r\nRemote-User: admin\r\n", null);
        assertThat(open.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.path()).isEqualTo("/public/x");
        assertThat(received.headers("Remote-User")).isEmpty();
        assertThat(received.headers("Cookie")).isEmpty();

        assertThat(gateway.awaitAuditLine(0, "SESSION_STORE_UNAVAILABLE")).anyMatch(line ->
                line.contains("SESSION_STORE_UNAVAILABLE") && line.contains("\"url.domain\":\"app.test\""));
    }

    @Test
    void aFailingPortalEndpointAnswersABare500() throws Exception {
        start(Failure.DATABASE_FAILS);
        String rd = "https://app.test:" + gateway.port + "/a";
        SignInGateway.LoginForm form = gateway.loginForm(rd);
        fail(Failure.DATABASE_FAILS);

        RawResponse answer = gateway.postLogin(form, "alice", SignInGateway.PASSWORD, rd, "");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.header("Location")).isNull();
        assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).as("no session from a failed sign-in")
                .isNull();
        assertThat(answer.bodyText()).contains("Internal error").doesNotContain("Exception", "at org.",
                "portcullis.db", dir.toString(), "alice", "sqlite", "SQL");
        assertThat(gateway.awaitAuditLine(0, "PORTAL_ERROR")).anyMatch(line -> line.contains("PORTAL_ERROR")
                && line.contains("\"http.response.status_code\":500"));
    }

    @Test
    void aRequestWhoseIdentityCannotBeMadeIsRefusedNotForwardedWithoutIt() throws Exception {
        // The threads stay open: only the identity fails here. The gateway has no assertion signer (the state
        // UpstreamIdentity documents for "no key"), and other.test wants a JWT.
        start(Failure.THREADS_CLOSED, new GatewayServer.StartOptions(true));
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD, "https://other.test:"
                + gateway.port + "/b");
        SignInGateway.SignIn other = gateway.callback(portal.location());
        gateway.drainUpstream();

        RawResponse answer = gateway.navigate("other.test", "/b", other.cookie());

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.bodyText()).doesNotContain("Exception", "wants a JWT");
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("never forwarded without identity").isNull();
        assertThat(gateway.awaitAuditLine(0, "IDENTITY_FAILED")).anyMatch(line -> line.contains("IDENTITY_FAILED"));
    }

    @Test
    void eachCauseIsLoggedAtMostOncePerSecondWithTheRequestIdAndNeverTheCookie() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(RefusalLog.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            start(Failure.THREADS_CLOSED);
            String[] cookies = signedIn();
            fail(Failure.THREADS_CLOSED);
            int auditFrom = gateway.auditLines().size();

            for (int i = 0; i < 3; i++) {
                assertThat(gateway.navigate("app.test", "/a", cookies[1]).status()).isEqualTo(503);
            }
            assertThat(messages(lines)).hasSize(1);
            String first = messages(lines).get(0);
            assertThat(first).contains("SESSION_STORE_UNAVAILABLE", "RejectedExecutionException")
                    .doesNotContain(value(cookies[1]), value(cookies[0]));
            // The line names the request the audit trail has for the first of the three refusals.
            List<String> audit = gateway.awaitAuditLine(auditFrom, "SESSION_STORE_UNAVAILABLE");
            Matcher id = Pattern.compile("\"request.id\":\"([^\"]+)\"").matcher(audit.stream()
                    .filter(line -> line.contains("SESSION_STORE_UNAVAILABLE")).findFirst().orElseThrow());
            assertThat(id.find()).isTrue();
            assertThat(first).contains("refused request " + id.group(1) + " ");

            clock.advance(Duration.ofSeconds(1));
            assertThat(gateway.navigate("app.test", "/a", cookies[1]).status()).isEqualTo(503);
            assertThat(messages(lines)).hasSize(2);
            assertThat(messages(lines).get(1)).contains("SESSION_STORE_UNAVAILABLE", "2 more refused")
                    .doesNotContain(value(cookies[1]));
        } finally {
            logger.detachAppender(lines);
        }
    }

    static List<String> messages(ListAppender<ILoggingEvent> appender) {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("SESSION_STORE_UNAVAILABLE")).toList();
        }
    }

    static String value(String pair) {
        return pair.substring(pair.indexOf('=') + 1);
    }
}
