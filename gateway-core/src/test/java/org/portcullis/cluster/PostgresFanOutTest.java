package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.session.SessionFanOut;
import org.portcullis.session.SessionInvalidation;
import org.portcullis.session.SessionInvalidations;

/**
 * The fan-out on PostgreSQL {@code LISTEN/NOTIFY} instead of Redis, with a real PostgreSQL: what one node publishes
 * reaches the other (and is not echoed back), and a database outage turns both nodes unfresh after the budget and
 * fresh again when it returns, without a restart.
 */
class PostgresFanOutTest {
    static final Duration BUDGET = Duration.ofSeconds(1);

    static PostgresServer postgres;
    static String database;

    @BeforeAll
    static void start() {
        PostgresServer.require();
        postgres = PostgresServer.startFresh();
        database = postgres.newDatabase();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    record Node(SessionInvalidations invalidations, List<SessionInvalidation> seen, SessionFanOut fanOut) {
    }

    static Node node() {
        Properties properties = new Properties();
        properties.setProperty("user", PostgresServer.USER);
        properties.setProperty("password", PostgresServer.PASSWORD);
        properties.setProperty("connectTimeout", "2");
        SessionInvalidations invalidations = new SessionInvalidations();
        List<SessionInvalidation> seen = new CopyOnWriteArrayList<>();
        invalidations.subscribe(seen::add);
        SessionFanOut fanOut = new SessionFanOut(new PostgresInvalidationChannel("jdbc:" + postgres.url(database), properties,
                "portcullis_invalidations", new SecureRandom()), invalidations, BUDGET);
        return new Node(invalidations, seen, fanOut);
    }

    @Test
    void anInvalidationOnOneNodeReachesTheOtherAndAnOutageIsRefusedThenRecovered() {
        Node one = node();
        Node two = node();
        try {
            // Both listening (each reports its subscription as an Everything of its own).
            assertThat(RedisClusterTest.within(Duration.ofSeconds(5), () -> !one.seen().isEmpty()
                    && !two.seen().isEmpty())).isTrue();
            one.seen().clear();
            two.seen().clear();

            one.invalidations().publish(new SessionInvalidation.OneUser("alice"));
            assertThat(RedisClusterTest.within(Duration.ofSeconds(1),
                    () -> two.seen().contains(new SessionInvalidation.OneUser("alice")))).isTrue();
            assertThat(one.seen()).containsExactly(new SessionInvalidation.OneUser("alice")); // no echo
            assertThat(one.fanOut().fresh()).isTrue();

            postgres.stop();
            assertThat(RedisClusterTest.within(BUDGET.plusSeconds(2), () -> !one.fanOut().fresh()
                    && !two.fanOut().fresh())).isTrue();

            postgres.start();
            assertThat(RedisClusterTest.within(Duration.ofSeconds(10), () -> one.fanOut().fresh()
                    && two.fanOut().fresh())).isTrue();
            // Back and listening again: the other node hears it once more.
            two.seen().clear();
            one.invalidations().publish(new SessionInvalidation.OneUser("bob"));
            assertThat(RedisClusterTest.within(Duration.ofSeconds(1),
                    () -> two.seen().contains(new SessionInvalidation.OneUser("bob")))).isTrue();
        } finally {
            one.fanOut().close();
            two.fanOut().close();
        }
    }
}
