package org.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.enrolment.InvitationCodes;
import org.portcullis.enrolment.RecoveryCodeSet;
import org.portcullis.enrolment.RecoveryCodes;
import org.portcullis.enrolment.Redemption;
import org.portcullis.factor.SqliteStepLedger;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.FailureLimit;
import org.portcullis.regulation.FailureState;
import org.portcullis.regulation.SqliteFailureCounter;
import org.portcullis.regulation.Subject;

/**
 * Two nodes on one store, many threads racing on each: the one-time guarantees hold across nodes, on SQLite (two
 * connection sets on one file, like two processes) and on PostgreSQL (two pools, like two gateways).
 */
class SharedStoreConcurrencyTest {
    private static final int THREADS = 16;
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static PostgresServer postgres;

    @TempDir
    Path dir;
    private final List<Database> nodes = new ArrayList<>();
    private ExecutorService pool;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.startFresh();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void closeNodes() {
        if (pool != null) {
            pool.shutdownNow();
        }
        nodes.forEach(Database::close);
    }

    private List<Database> twoNodes(String backend) {
        PostgresqlConfig pg = backend.equals("postgresql")
                ? StoreBackends.postgresql(postgres, postgres.newDatabase(), 8, Duration.ofSeconds(5),
                        Duration.ofSeconds(10)) : null;
        nodes.add(StoreBackends.openNode(backend, dir, pg));
        nodes.add(StoreBackends.openNode(backend, dir, pg));
        pool = Executors.newFixedThreadPool(THREADS);
        return nodes;
    }

    /** Runs {@code attempt} on THREADS threads at once, alternating between the nodes; returns every result. */
    private <T> List<T> race(List<Database> nodes, Function<Database, T> attempt) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Database node = nodes.get(i % nodes.size());
            Callable<T> task = () -> {
                start.await();
                return attempt.apply(node);
            };
            futures.add(pool.submit(task));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void totpStepIsAcceptedOnceAcrossNodes(String backend) throws Exception {
        List<Database> nodes = twoNodes(backend);
        List<Boolean> accepted = race(nodes, node ->
                new SqliteStepLedger(node, java.time.Clock.systemUTC()).tryAdvance("alice", "app", 1_000L));
        assertThat(accepted).containsOnlyOnce(true);
        // And an older step is refused afterwards on either node (RFC 6238 §5.2).
        assertThat(new SqliteStepLedger(nodes.get(1), java.time.Clock.systemUTC()).tryAdvance("alice", "app", 999L))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void invitationIsRedeemedOnceAcrossNodes(String backend) throws Exception {
        List<Database> nodes = twoNodes(backend);
        InvitationCode code = new InvitationCodes(nodes.get(0)).issue("alice", Duration.ofHours(1), NOW);
        List<Redemption> results = race(nodes, node -> new InvitationCodes(node).redeem("alice", code.reveal(), NOW));
        assertThat(results).containsOnlyOnce(Redemption.ACCEPTED);
        assertThat(results).filteredOn(r -> r != Redemption.ACCEPTED).containsOnly(Redemption.ALREADY_USED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void recoveryCodeIsRedeemedOnceAcrossNodes(String backend) throws Exception {
        List<Database> nodes = twoNodes(backend);
        RecoveryCodeSet set = new RecoveryCodes(nodes.get(0), 1_000).generate("alice", NOW);
        String code = set.reveal().get(3);
        List<Redemption> results = race(nodes, node ->
                new RecoveryCodes(node, 1_000).redeem("alice", code, NOW));
        assertThat(results).containsOnlyOnce(Redemption.ACCEPTED);
        assertThat(new RecoveryCodes(nodes.get(1), 1_000).remaining("alice"))
                .isEqualTo(RecoveryCodes.CODES_PER_SET - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void failuresAreCountedAcrossNodesWithoutLosingAny(String backend) throws Exception {
        List<Database> nodes = twoNodes(backend);
        FailureLimit limit = new FailureLimit(FailureLimit.MAX_FAILURES_CAP, Duration.ofMinutes(5),
                Duration.ofMinutes(15));
        Subject alice = Subject.account("alice");
        race(nodes, node -> new SqliteFailureCounter(node).recordFailure(CounterKind.PASSWORD, alice, NOW, limit));
        race(nodes, node -> new SqliteFailureCounter(node).recordFailure(CounterKind.PASSWORD, alice, NOW, limit));
        FailureState state = new SqliteFailureCounter(nodes.get(1)).state(CounterKind.PASSWORD, alice);
        assertThat(state.consecutiveFailures()).isEqualTo(2L * THREADS);
    }
}
