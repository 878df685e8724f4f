package org.portcullis.regulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.storage.Database;
import org.portcullis.storage.StoreUnderTest;

/** The SQLite store: atomic counting under concurrency, persistence, and the row bound. */
/* Runs on both backends: the SQLite file and a fresh PostgreSQL database (StoreUnderTest). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class SqliteFailureCounterTest {
    @Parameter
    String backend;
    StoreUnderTest backendStore;

    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    /** Never trips, so every failure stays in the counted window. */
    private static final FailureLimit HIGH = new FailureLimit(1_000, Duration.ofHours(1), Duration.ofMinutes(1));

    @TempDir
    Path dataDir;

    @BeforeEach
    void freshStore() {
        backendStore = StoreUnderTest.fresh(backend, dataDir);
    }

    @Test
    void twoThreadsRecordingAtOnceLoseNoFailure() throws Exception {
        int perThread = 200;
        try (Database database = backendStore.open()) {
            FailureCounter counters = new SqliteFailureCounter(database);
            Subject alice = Subject.account("alice");
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    done.add(threads.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            counters.recordFailure(CounterKind.PASSWORD, alice, NOW, HIGH);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            FailureState state = counters.state(CounterKind.PASSWORD, alice);
            assertThat(state.consecutiveFailures()).isEqualTo(2L * perThread);
            assertThat(state.recentFailures()).isEqualTo(2 * perThread);
        }
    }

    @Test
    void twoGatewaysOnOneFileShareTheirCounters() throws Exception {
        // A second connection set on the same file (the admin CLI, or a second gateway process) sees every count.
        try (Database first = backendStore.open();
             Database second = backendStore.open()) {
            Subject address = Subject.address(InetAddress.getByName("192.0.2.1"));
            FailureLimit limit = FailureLimit.addressDefaults();
            for (int i = 0; i < 10; i++) {
                new SqliteFailureCounter(i % 2 == 0 ? first : second)
                        .recordFailure(CounterKind.PASSWORD, address, NOW, limit);
            }
            assertThat(new SqliteFailureCounter(first).state(CounterKind.PASSWORD, address).recentFailures())
                    .isEqualTo(10);
        }
    }

    @Test
    void aLockSurvivesReopeningTheDatabase() {
        Subject alice = Subject.account("alice");
        FailureLimit limit = RegulationSettings.defaults().limit();
        try (Database database = backendStore.open()) {
            for (int i = 0; i < 5; i++) {
                new SqliteFailureCounter(database).recordFailure(CounterKind.TOTP, alice, NOW, limit);
            }
        }
        try (Database database = backendStore.open()) {
            FailureState state = new SqliteFailureCounter(database).state(CounterKind.TOTP, alice);
            assertThat(state).isEqualTo(new FailureState(0, 5, NOW.plus(Duration.ofMinutes(15))));
            assertThat(state.lockedAt(NOW.plus(Duration.ofMinutes(14)))).isTrue();
        }
    }

    @Test
    void aRowKeepsNoMoreFailureTimesThanTheLimitNeeds() {
        FailureLimit limit = new FailureLimit(3, Duration.ofHours(1), Duration.ofMinutes(1));
        try (Database database = backendStore.open()) {
            FailureCounter counters = new SqliteFailureCounter(database);
            Subject alice = Subject.account("alice");
            FailureState state = null;
            for (int i = 0; i < 7; i++) {
                state = counters.recordFailure(CounterKind.PASSWORD, alice, NOW.plusSeconds(120L * i), limit);
            }
            // 7 failures, 3 per lock: locked twice, one failure in the current window.
            assertThat(state.recentFailures()).isEqualTo(1);
            assertThat(state.consecutiveFailures()).isEqualTo(7);
            String stored = database.read(c -> {
                try (var s = c.createStatement();
                     var rows = s.executeQuery("SELECT recent_failures_ms FROM regulation_failures")) {
                    rows.next();
                    return rows.getString(1);
                }
            });
            assertThat(stored).isEqualTo(Long.toString(NOW.plusSeconds(720).toEpochMilli()));
        }
    }

    @Test
    void resetAccountEverywhereClearsEveryKindOfThatAccountOnly() throws Exception {
        try (Database database = backendStore.open()) {
            FailureCounter counters = new SqliteFailureCounter(database);
            FailureLimit limit = RegulationSettings.defaults().limit();
            Subject alice = Subject.account("alice");
            Subject bob = Subject.account("bob");
            Subject address = Subject.address(InetAddress.getByName("192.0.2.1"));
            counters.recordFailure(CounterKind.PASSWORD, alice, NOW, limit);
            counters.recordFailure(CounterKind.TOTP, alice, NOW, limit);
            counters.recordFailure(CounterKind.PASSWORD, bob, NOW, limit);
            counters.recordFailure(CounterKind.PASSWORD, address, NOW, limit);

            assertThat(counters.resetAccountEverywhere("alice")).isEqualTo(2);

            assertThat(counters.state(CounterKind.PASSWORD, alice)).isEqualTo(FailureState.NONE);
            assertThat(counters.state(CounterKind.TOTP, alice)).isEqualTo(FailureState.NONE);
            assertThat(counters.state(CounterKind.PASSWORD, bob).consecutiveFailures()).isEqualTo(1);
            assertThat(counters.state(CounterKind.PASSWORD, address).consecutiveFailures()).isEqualTo(1);
        }
    }
}
