package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.server.SignInAssembly;
import org.portcullis.session.SessionCache;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionIdHash;
import org.portcullis.session.SessionInvalidation;
import org.portcullis.session.SqliteSessionStore;
import org.portcullis.storage.StorageExecutor;
import picocli.CommandLine;

/**
 * The session cache (issue 14) through the running gateway, as {@code portcullis run} wires it: a signed-in request
 * is answered from the cache without a store read, and the cache never outlives on this node what ends or changes a
 * session. Each test first makes sure the session really is cached, then ends it, and the very next request must be
 * refused: sign-out at the portal, {@code portcullis sessions revoke} from another process, a user disabled in the
 * users file, the idle and the absolute timeout on the injected clock.
 */
@Timeout(120)
class SessionCacheTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    final CountDownLatch release = new CountDownLatch(1);
    StorageExecutor sessionReads = new StorageExecutor(1, 64, Duration.ofMillis(500));
    SignInGateway gateway;

    void start() throws Exception {
        gateway = SignInGateway.start(dir, clock, SignInGateway.POLICY, "", sessionReads);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (gateway != null) {
            gateway.close();
        }
    }

    SignInAssembly services() {
        return gateway.server.signIn().orElseThrow();
    }

    SessionCache cache() {
        return services().sessionCache();
    }

    static SessionIdHash hashOf(String cookiePair) {
        return SessionId.parse(cookiePair.substring(cookiePair.indexOf('=') + 1)).orElseThrow().hash();
    }

    /** Signs {@code user} in and joins app.test; returns {portal cookie, app.test cookie}, app.test's cached. */
    String[] signedInAndCached(String user, String password) throws Exception {
        SignInGateway.SignIn portal = gateway.signIn(user, password, "https://app.test:" + gateway.port + "/x");
        String app = gateway.callback(portal.location()).cookie();
        assertThat(gateway.navigate("app.test", "/x", app).status()).isEqualTo(200);
        assertThat(cache().holds(hashOf(app))).as("the session is cached after its first request").isTrue();
        gateway.drainUpstream();
        return new String[] {portal.cookie(), app};
    }

    /** The request is refused as signed out: sent to sign in, nothing forwarded. */
    void assertSignedOut(String cookie) throws Exception {
        RawResponse answer = gateway.navigate("app.test", "/x", cookie);
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/login?rd=");
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing forwarded").isNull();
    }

    /** Occupies the one session-read thread until the test ends. */
    void stallSessionReads() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        sessionReads.submit(() -> {
            running.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).as("session read thread stalled").isTrue();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Test
    void aCachedSessionIsAnsweredWithoutTheStoreWhileEverySessionReadThreadIsStuck() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);
        stallSessionReads();

        RawResponse answer = gateway.navigate("app.test", "/y", alice[1]);

        assertThat(answer.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /y HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("alice");
    }

    @Test
    void aStoreOutageWithAColdCacheIsRefusedWith503() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);
        services().sessionInvalidations().publish(new SessionInvalidation.Everything());
        stallSessionReads();

        RawResponse answer = gateway.navigate("app.test", "/y", alice[1]);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers("Set-Cookie")).as("an outage signs nobody out").isEmpty();
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing forwarded").isNull();
    }

    @Test
    void aPortalPoolFullOfStuckWorkDoesNotHoldUpASessionLookup() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);
        services().sessionInvalidations().publish(new SessionInvalidation.Everything());
        // A sign-in flood at its worst: every portal thread busy and the portal's queue full.
        StorageExecutor portal = services().portalThreads();
        CountDownLatch running = new CountDownLatch(StorageExecutor.DEFAULT_THREADS);
        for (int i = 0; i < StorageExecutor.DEFAULT_THREADS; i++) {
            portal.submit(() -> {
                running.countDown();
                return awaitRelease();
            });
        }
        assertThat(running.await(5, TimeUnit.SECONDS)).as("portal threads stalled").isTrue();
        while (!portal.submit(() -> 0).isCompletedExceptionally()) {
            portal.submit(this::awaitRelease);
        }

        RawResponse answer = gateway.navigate("app.test", "/y", alice[1]);

        assertThat(answer.status()).as("the lookup reads the store on its own threads").isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(WAIT).requestLine()).isEqualTo("GET /y HTTP/1.1");
    }

    int awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    @Test
    void signOutAtThePortalRefusesTheVeryNextRequest() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);

        RawResponse account = gateway.navigate("login.test", "/.portcullis/", alice[0]);
        String token = account.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        RawResponse out = gateway.send("POST", "login.test", "/.portcullis/logout", "Origin: "
                + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + alice[0] + "\r\n",
                "csrf=" + SignInGateway.encode(token));
        assertThat(out.status()).isEqualTo(200);

        assertSignedOut(alice[1]);
    }

    @Test
    void sessionsRevokeFromTheCommandLineRefusesTheVeryNextRequestAndLeavesOthersCached() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);
        String[] bob = signedInAndCached("bob", SignInGateway.BOB_PASSWORD);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PortcullisMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("sessions", "revoke", "--user", "alice", "--data-dir", gateway.dataDir.toString());
        assertThat(exit).as(err.toString()).isZero();

        // No waiting here: the command returns only once a running gateway honours what it did.
        assertSignedOut(alice[1]);
        assertThat(gateway.navigate("app.test", "/y", bob[1]).status()).isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(WAIT).requestLine()).isEqualTo("GET /y HTTP/1.1");
    }

    @Test
    void aUserDisabledInTheUsersFileIsRefusedAtTheNextRequest() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);
        Path users = gateway.dir.resolve("users.yaml");
        Files.writeString(users, Files.readString(users).replace("display_name: Alice Example",
                "display_name: Alice Example\n    disabled: true"));
        services().usersReloader().reload();

        assertSignedOut(alice[1]);
    }

    @Test
    void aFactorRemovedAtTheAccountPageDropsTheUsersCachedSessions() throws Exception {
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "", sessionReads);
        TotpFlow flow = new TotpFlow(gateway, clock);
        String secret = flow.enrol("alice");
        flow.enrol("alice");
        String rd = "https://app.test:" + gateway.port + "/records/1";
        String pending = flow.password("alice", SignInGateway.PASSWORD, rd);
        String portal = SignInGateway.cookiePair(flow.submitCode(pending, flow.code(secret)), "__Host-portcullis");
        RawResponse onwards = gateway.navigate("login.test", gateway.loginTarget(rd), portal);
        String host = gateway.callback(onwards.header("Location")).cookie();
        assertThat(gateway.navigate("app.test", "/records/1", host).status()).isEqualTo(200);
        assertThat(cache().holds(hashOf(host))).isTrue();

        String id = flow.factors().totp().active("alice").get(0).id();
        String token = flow.token("/.portcullis/", portal);
        assertThat(flow.post("/.portcullis/factors", portal, token, "action=remove&confirmed=yes&id=" + id).status())
                .isEqualTo(200);

        assertThat(cache().holds(hashOf(host))).as("the next request reads the store again").isFalse();
    }

    @Test
    void aCachedSessionPastItsIdleTimeoutIsRefused() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);
        clock.advance(Duration.ofMinutes(29));
        assertThat(gateway.navigate("app.test", "/x", alice[1]).status()).isEqualTo(200);
        gateway.drainUpstream();
        assertThat(cache().holds(hashOf(alice[1]))).isTrue();

        clock.advance(Duration.ofMinutes(30));

        RawResponse ended = gateway.navigate("app.test", "/x", alice[1]);
        assertThat(ended.status()).isEqualTo(302);
        assertThat(ended.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("__Host-portcullis=;"));
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing forwarded").isNull();
    }

    @Test
    void aCachedSessionPastItsAbsoluteTimeoutIsRefusedThoughNeverIdle() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);
        for (int i = 1; i <= 35; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(gateway.navigate("app.test", "/x", alice[1]).status()).as("after %d min", 20 * i)
                    .isEqualTo(200);
        }
        gateway.drainUpstream();
        assertThat(cache().holds(hashOf(alice[1]))).isTrue();

        clock.advance(Duration.ofMinutes(21));

        assertSignedOut(alice[1]);
    }

    @Test
    void anIdleDeadlineMovedInTheCacheIsWrittenToTheStoreOffTheRequestPath() throws Exception {
        start();
        String[] alice = signedInAndCached("alice", SignInGateway.PASSWORD);
        SessionIdHash hash = hashOf(alice[1]);
        SqliteSessionStore store = new SqliteSessionStore(gateway.server.runtime().storage().orElseThrow());
        Instant signedIn = store.get(hash).orElseThrow().lastSeen();

        clock.advance(Duration.ofMinutes(20));
        Instant used = clock.instant();
        assertThat(gateway.navigate("app.test", "/x", alice[1]).status()).isEqualTo(200);

        await(() -> store.get(hash).orElseThrow().lastSeen().equals(used), "the keeper wrote the moved deadline");
        assertThat(store.get(hash).orElseThrow().lastSeen()).isAfter(signedIn);
        assertThat(store.get(hash).orElseThrow().idleExpiry()).isEqualTo(used.plus(Duration.ofMinutes(30)));
        // Read from the store again (cold cache): 29 minutes after the cached use it is still alive.
        services().sessionInvalidations().publish(new SessionInvalidation.Everything());
        clock.advance(Duration.ofMinutes(29));
        assertThat(gateway.navigate("app.test", "/x", alice[1]).status()).isEqualTo(200);
    }
}
