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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Two gateway nodes on one PostgreSQL database ({@code storage.backend: postgresql}), each started the way
 * {@code ./portcullis run} starts it, with the same encryption key: a session made on one node is honoured by the
 * other, a TOTP code is accepted once across both, and when PostgreSQL goes away the nodes refuse (never pass) and
 * come back by themselves when it returns (docs/cluster.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ClusterSignInTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String KEY = "5e".repeat(32);

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    PostgresServer postgres;
    SignInGateway node1;
    SignInGateway node2;
    TotpFlow flow1;
    TotpFlow flow2;
    String aliceSecret;
    int nextAddress = 10;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        postgres = PostgresServer.startFresh();
        String storage = """
                  backend: postgresql
                  postgresql:
                    url: %s
                    user: %s
                    password: "%s"
                    ssl_mode: disable
                    pool_size: 4
                    connect_timeout: 2s
                    query_timeout: 2s
                """.formatted(postgres.url(postgres.newDatabase()), PostgresServer.USER, PostgresServer.PASSWORD);
        node1 = SignInGateway.startNode(dir.resolve("node1"), clock, TotpFlow.POLICY, KEY, storage);
        node2 = SignInGateway.startNode(dir.resolve("node2"), clock, TotpFlow.POLICY, KEY, storage);
        flow1 = new TotpFlow(node1, clock);
        flow2 = new TotpFlow(node2, clock);
        aliceSecret = flow1.enrol("alice");
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {node1, node2, postgres}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @BeforeEach
    void nextStep() throws Exception {
        clock.advance(Duration.ofSeconds(60));
        flow1.postFrom(nextAddress);
        flow2.postFrom(nextAddress++);
        flow1.unlock("alice");
        node1.drainUpstream();
        node2.drainUpstream();
    }

    /** Password and TOTP code on node 1; returns the app.test session cookie it gave. */
    String signInOnNodeOne(String target) throws Exception {
        String pending = flow1.password("alice", SignInGateway.PASSWORD, "https://app.test:" + node1.port + target);
        RawResponse answer = flow1.submitCode(pending, flow1.code(aliceSecret));
        assertThat(answer.status()).as("password and code accepted on node 1").isEqualTo(303);
        SignInGateway.SignIn host = node1.callback(answer.header("Location"));
        assertThat(node1.navigate("app.test", target, host.cookie()).status()).isEqualTo(200);
        node1.drainUpstream();
        return host.cookie();
    }

    @Test
    void aSessionMadeOnNodeOneIsHonouredOnNodeTwo() throws Exception {
        String cookie = signInOnNodeOne("/records/7");

        RawResponse onNodeTwo = node2.navigate("app.test", "/records/7", cookie);

        assertThat(onNodeTwo.status()).isEqualTo(200);
        RecordedRequest received = node2.upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /records/7 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("alice");
    }

    @Test
    void theSameCodeSentToBothNodesAtOnceIsAcceptedOnce() throws Exception {
        int perNode = 6;
        List<TotpFlow> flows = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 2 * perNode; i++) {
            TotpFlow flow = i % 2 == 0 ? flow1 : flow2;
            String pending = flow.password("alice", SignInGateway.PASSWORD,
                    "https://app.test:" + flow.gateway.port + "/records/4");
            flows.add(flow);
            sessions.add(pending);
            tokens.add(flow.token("/.portcullis/second-factor", pending));
        }
        String code = flow1.code(aliceSecret);
        ExecutorService pool = Executors.newFixedThreadPool(2 * perNode);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RawResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 2 * perNode; i++) {
                TotpFlow flow = flows.get(i);
                String cookie = sessions.get(i);
                String token = tokens.get(i);
                answers.add(pool.submit(() -> {
                    go.await();
                    return flow.post("/.portcullis/second-factor", cookie, token, "code=" + code);
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<RawResponse> answer : answers) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).as("exactly one success across both nodes: " + statuses)
                    .filteredOn(s -> s == 303).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 401 || s == 429).hasSize(2 * perNode - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOutageIsRefusedNeverPassedAndTheNodesRecoverWithoutARestart() throws Exception {
        String cookie = signInOnNodeOne("/records/9");
        assertThat(node2.navigate("app.test", "/records/9", cookie).status()).isEqualTo(200);
        int auditFrom = node2.auditLines().size();
        String rd = "https://app.test:" + node2.port + "/records/9";
        SignInGateway.LoginForm form = node2.loginForm(rd);

        postgres.stop();
        try {
            // Once the node knows the store is gone it refuses every request that needs it, and keeps refusing.
            RawResponse refused = awaitStatus(node2, cookie, 503);
            assertThat(refused.header("Location")).as("no challenge: an outage does not sign anybody out").isNull();
            assertThat(refused.headers("Set-Cookie")).isEmpty();
            assertThat(refused.bodyText()).doesNotContain("Exception", "postgresql", "SQL");
            for (int i = 0; i < 5; i++) {
                assertThat(node2.navigate("app.test", "/records/9", cookie).status()).isEqualTo(503);
                assertThat(node1.navigate("app.test", "/records/9", cookie).status()).isIn(503);
            }
            RawResponse login = node2.postLogin(form, "alice", SignInGateway.PASSWORD, rd, "");
            assertThat(login.status()).as("a sign-in without the store is refused").isIn(500, 503);
            assertThat(SignInGateway.cookiePair(login, "__Host-portcullis")).isNull();
            node2.drainUpstream();
            assertThat(node2.upstream.takeRequest(Duration.ofMillis(200))).as("nothing forwarded").isNull();
            assertThat(node2.awaitAuditLine(auditFrom, "SESSION_STORE_UNAVAILABLE"))
                    .anyMatch(line -> line.contains("SESSION_STORE_UNAVAILABLE"));
            assertThat(node2.awaitAuditLine(auditFrom, "PORTAL_ERROR"))
                    .anyMatch(line -> line.contains("PORTAL_ERROR"));
        } finally {
            postgres.start();
        }

        // The same cookie works again on both nodes, with no restart: the pools reconnect.
        awaitStatus(node2, cookie, 200);
        awaitStatus(node1, cookie, 200);
        clock.advance(Duration.ofSeconds(60));
        assertThat(signInOnNodeOne("/records/10")).as("and a new sign-in works").isNotNull();
    }

    /** Polls app.test/records/9 with {@code cookie} until it answers {@code status} (at most 15 s). */
    static RawResponse awaitStatus(SignInGateway node, String cookie, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        RawResponse last = null;
        while (System.nanoTime() < deadline) {
            last = node.navigate("app.test", "/records/9", cookie);
            if (last.status() == status) {
                return last;
            }
            assertThat(last.status()).as("only the two outcomes, never a challenge").isIn(200, 503);
            Thread.sleep(50);
        }
        throw new AssertionError("no " + status + " within 15 s; last " + (last == null ? "none" : last.statusLine()));
    }
}
