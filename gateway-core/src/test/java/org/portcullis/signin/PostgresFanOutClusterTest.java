package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.ops.HealthCheck;
import org.portcullis.server.SignInAssembly;

/**
 * Two gateway nodes on one PostgreSQL database and no Redis, started the way {@code ./portcullis run} starts them:
 * the session fan-out travels on PostgreSQL {@code LISTEN/NOTIFY} (docs/cluster.md, "The fan-out without Redis").
 * A sign-out on node 1 is refused on node 2 within 1 s; a channel that cannot carry messages while the store still
 * answers makes both nodes refuse signed-in requests (503) after the staleness budget and answer again by themselves
 * when it works; after a PostgreSQL restart the channel listens again.
 *
 * <p>The nodes log in as a role that is not a superuser, so that the test (as superuser) can take the right to call
 * {@code pg_notify} from it: the store keeps working, only the fan-out is cut.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class PostgresFanOutClusterTest {
    static final Duration BUDGET = Duration.ofSeconds(1);
    static final String KEY = "6f".repeat(32);
    static final String NODE_ROLE = "portcullis_node";
    static final String NODE_PASSWORD = "node-password-not-secret";

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    PostgresServer postgres;
    String database;
    SignInGateway node1;
    SignInGateway node2;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        postgres = PostgresServer.startFresh();
        database = postgres.newDatabase();
        asSuperuser("postgres", "CREATE ROLE " + NODE_ROLE + " LOGIN PASSWORD '" + NODE_PASSWORD + "'",
                "ALTER DATABASE " + database + " OWNER TO " + NODE_ROLE);
        asSuperuser(database, "ALTER SCHEMA public OWNER TO " + NODE_ROLE);
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
                    staleness_budget: 1s
                """.formatted(postgres.url(database), NODE_ROLE, NODE_PASSWORD);
        node1 = SignInGateway.startNode(dir.resolve("node1"), clock, SignInGateway.POLICY, KEY, storage);
        node2 = SignInGateway.startNode(dir.resolve("node2"), clock, SignInGateway.POLICY, KEY, storage);
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
    void freshMinute() {
        clock.advance(Duration.ofSeconds(60));
        node1.drainUpstream();
        node2.drainUpstream();
    }

    @Test
    @Order(1)
    void signOutOnNodeOneIsRefusedOnNodeTwoWithinOneSecond() throws Exception {
        SignInGateway.SignIn portal = node1.signIn("alice", SignInGateway.PASSWORD,
                "https://app.test:" + node1.port + "/records");
        String appCookie = node1.reach(portal.location(), portal.cookie()).cookie();
        assertThat(status(node2, appCookie)).as("signed in on node 1, honoured on node 2").isEqualTo(200);
        // Node 2's cache holds the session (so the refusal below is the fan-out's doing, not a store read). The write
        // counter poll empties the whole cache whenever another node writes, so the entry is looked for, not assumed.
        assertThat(within(Duration.ofSeconds(2), () -> status(node2, appCookie) == 200
                && node2.server.signIn().orElseThrow().sessionCache().size() > 0))
                .as("and now answered from node 2's cache").isTrue();

        String csrf = new TotpFlow(node1, clock).token("/.portcullis/", portal.cookie());
        assertThat(new TotpFlow(node1, clock).post("/.portcullis/logout", portal.cookie(), csrf, "").status())
                .isEqualTo(200);

        assertThat(within(Duration.ofSeconds(1), () -> status(node2, appCookie) != 200))
                .as("node 2 refuses the signed-out session within 1 s").isTrue();
        assertThat(status(node2, appCookie)).as("to the portal: signed out").isEqualTo(302);
        node2.drainUpstream();
    }

    @Test
    @Order(2)
    void aFanOutThatCannotSendIsRefusedAfterTheBudgetAndRecoversByItself() throws Exception {
        String appCookie = signedInOnNodeOne();
        assertThat(status(node2, appCookie)).isEqualTo(200);
        assertThat(cacheProblem(node2)).as("ready").isEmpty();

        // The store answers as before; only pg_notify (heartbeats and invalidations) is refused to the nodes.
        asSuperuser(database, "REVOKE EXECUTE ON FUNCTION pg_notify(text, text) FROM PUBLIC");
        try {
            assertThat(within(BUDGET.plusSeconds(2), () -> status(node2, appCookie) == 503))
                    .as("node 2 refuses once its own heartbeats stopped coming back for the budget").isTrue();
            assertThat(within(BUDGET.plusSeconds(2), () -> status(node1, appCookie) == 503)).isTrue();
            node1.drainUpstream();
            node2.drainUpstream();
            List<Integer> during = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                during.add(status(i % 2 == 0 ? node1 : node2, appCookie));
            }
            assertThat(during).as("nothing passes while the channel is down").containsOnly(503);
            assertThat(node1.upstream.takeRequest(Duration.ofMillis(50))).isNull();
            assertThat(node2.upstream.takeRequest(Duration.ofMillis(50))).isNull();
            assertThat(cacheProblem(node2)).as("not ready: readiness names the fan-out")
                    .hasValueSatisfying(problem -> assertThat(problem).contains("fan-out"));
        } finally {
            asSuperuser(database, "GRANT EXECUTE ON FUNCTION pg_notify(text, text) TO PUBLIC");
        }

        assertThat(within(Duration.ofSeconds(10), () -> status(node1, appCookie) == 200
                && status(node2, appCookie) == 200)).as("both nodes answer again, no restart").isTrue();
        assertThat(cacheProblem(node1)).isEmpty();
    }

    @Test
    @Order(3)
    void afterPostgresqlRestartsTheChannelListensAgain() throws Exception {
        String appCookie = signedInOnNodeOne();
        assertThat(status(node2, appCookie)).isEqualTo(200);

        postgres.stop();
        try {
            assertThat(within(BUDGET.plusSeconds(2), () -> status(node2, appCookie) == 503)).isTrue();
            // Keep it down past the budget, so that being fresh afterwards can only mean new heartbeats came back
            // on a new LISTEN (an outage shorter than the budget would leave the nodes fresh without one).
            assertThat(within(BUDGET.plusSeconds(2), () -> cacheProblem(node1).isPresent()
                    && cacheProblem(node2).isPresent())).as("both nodes noticed the silent channel").isTrue();
        } finally {
            postgres.start();
        }
        // Fresh again means the node's own heartbeat came back: the listener reconnected and LISTENs again.
        assertThat(within(Duration.ofSeconds(15), () -> status(node1, appCookie) == 200
                && status(node2, appCookie) == 200 && cacheProblem(node1).isEmpty()
                && cacheProblem(node2).isEmpty())).as("both nodes back, no restart").isTrue();

        // And it carries a sign-out again.
        SignInGateway.SignIn portal = node1.signIn("alice", SignInGateway.PASSWORD,
                "https://app.test:" + node1.port + "/records");
        String second = node1.reach(portal.location(), portal.cookie()).cookie();
        // A pooled store connection from before the restart fails the one request that draws it (503, documented:
        // the pool replaces broken connections as they are used), so wait for the answer rather than take the first.
        assertThat(within(Duration.ofSeconds(5), () -> status(node2, second) == 200)).isTrue();
        String csrf = new TotpFlow(node1, clock).token("/.portcullis/", portal.cookie());
        assertThat(new TotpFlow(node1, clock).post("/.portcullis/logout", portal.cookie(), csrf, "").status())
                .isEqualTo(200);
        assertThat(within(Duration.ofSeconds(1), () -> status(node2, second) != 200)).isTrue();
    }

    private String signedInOnNodeOne() throws Exception {
        SignInGateway.SignIn portal = node1.signIn("alice", SignInGateway.PASSWORD,
                "https://app.test:" + node1.port + "/records");
        return node1.reach(portal.location(), portal.cookie()).cookie();
    }

    /** What the node's readiness check {@code cache} reports (empty: ready). */
    private static java.util.Optional<String> cacheProblem(SignInGateway node) {
        SignInAssembly signIn = node.server.signIn().orElseThrow();
        HealthCheck cache = signIn.healthChecks().stream().filter(c -> c.name().equals("cache")).findFirst()
                .orElseThrow(() -> new AssertionError("no cache readiness check on a PostgreSQL node"));
        return cache.problem();
    }

    private static int status(SignInGateway node, String cookie) {
        try {
            return node.navigate("app.test", "/records", cookie).status();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds or {@code limit} passed (an async effect; no sleep stands for time). */
    static boolean within(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return condition.getAsBoolean();
    }

    private void asSuperuser(String db, String... statements) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", PostgresServer.USER);
        properties.setProperty("password", PostgresServer.PASSWORD);
        try (Connection connection = DriverManager.getConnection("jdbc:" + postgres.url(db), properties);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
