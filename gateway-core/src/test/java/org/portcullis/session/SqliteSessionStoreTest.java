package org.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.policy.AuthFactor;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.storage.Database;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.StoreUnderTest;

/* Runs on both backends: the SQLite file and a fresh PostgreSQL database (StoreUnderTest). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class SqliteSessionStoreTest {
    @Parameter
    String backend;
    StoreUnderTest backendStore;


    static final Instant T0 = Instant.parse("2026-03-01T08:00:00.123Z");
    static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dataDir;

    Database database;
    SqliteSessionStore store;

    @BeforeEach
    void open() {
        backendStore = StoreUnderTest.fresh(backend, dataDir);
        database = backendStore.open();
        store = new SqliteSessionStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    static Session session(String user, Instant created) {
        return new Session(SessionId.generate(RANDOM).hash(), user, created, created,
                created.plus(Duration.ofMinutes(30)), created.plus(Duration.ofHours(12)),
                Map.of(AuthFactor.PASSWORD, created), Map.of(), 0);
    }

    @Test
    void aRestartLosesNothing() {
        Session s = session("alice", T0).rotated(SessionId.generate(RANDOM).hash(), AuthFactor.TOTP,
                T0.plusSeconds(20), Duration.ofMinutes(30)).withAttribute("csrf", "tok=en;with,odd chars é");
        store.create(s);
        database.close();

        database = backendStore.open();
        store = new SqliteSessionStore(database);
        assertThat(store.get(s.idHash())).contains(s);
    }

    @Test
    void keepsOnlyTheHashNeverTheId() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(backendStore.isSqlite(), "reads the SQLite file");
        SessionId id = SessionId.generate(RANDOM);
        Session s = new Session(id.hash(), "alice", T0, T0, T0.plusSeconds(60), T0.plusSeconds(600),
                Map.of(AuthFactor.PASSWORD, T0), Map.of(), 0);
        store.create(s);
        database.close();
        byte[] file = java.nio.file.Files.readAllBytes(dataDir.resolve(EmbeddedDatabase.FILE_NAME));
        assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(id.cookieValue());
        database = backendStore.open();
        store = new SqliteSessionStore(database);
    }

    @Test
    void compareAndSetRefusesAStaleVersion() {
        Session s = session("alice", T0);
        store.create(s);
        Session first = s.touched(T0.plusSeconds(90), Duration.ofMinutes(30));
        Session second = s.withAttribute("csrf", "x");
        assertThat(store.compareAndSet(s, first)).isTrue();
        assertThat(store.compareAndSet(s, second)).isFalse();
        assertThat(store.get(s.idHash())).contains(first);
    }

    @Test
    void twoRacingWritersExactlyOneWins() throws Exception {
        Session s = session("alice", T0);
        store.create(s);
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Session replacement = s.withAttribute("winner", "racer-" + i);
                Callable<Boolean> race = () -> {
                    start.await();
                    return store.compareAndSet(s, replacement);
                };
                results.add(pool.submit(race));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> result : results) {
                wins += result.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            assertThat(store.get(s.idHash()).orElseThrow().version()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRotationMovesTheSessionToItsNewKeyAtomically() {
        Session s = session("alice", T0);
        store.create(s);
        Session rotated = s.rotated(SessionId.generate(RANDOM).hash(), AuthFactor.TOTP, T0.plusSeconds(5),
                Duration.ofMinutes(30));
        assertThat(store.compareAndSet(s, rotated)).isTrue();
        assertThat(store.get(s.idHash())).isEmpty();
        assertThat(store.get(rotated.idHash())).contains(rotated);
        // a second rotation of the same old session (a replayed request) finds nothing to replace
        Session again = s.rotated(SessionId.generate(RANDOM).hash(), AuthFactor.TOTP, T0.plusSeconds(6),
                Duration.ofMinutes(30));
        assertThat(store.compareAndSet(s, again)).isFalse();
        assertThat(store.get(again.idHash())).isEmpty();
    }

    @Test
    void compareAndSetRejectsAReplacementThatSkipsAVersionOrChangesTheUser() {
        Session s = session("alice", T0);
        store.create(s);
        Session skipped = s.withAttribute("a", "1").withAttribute("b", "2");
        assertThatThrownBy(() -> store.compareAndSet(s, skipped)).isInstanceOf(IllegalArgumentException.class);
        Session otherUser = new Session(s.idHash(), "mallory", T0, T0, s.idleExpiry(), s.absoluteExpiry(),
                s.factors(), Map.of(), 1);
        assertThatThrownBy(() -> store.compareAndSet(s, otherUser)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get(s.idHash())).contains(s);
    }

    @Test
    void revokesByUserByDisplayIdPrefixAndAll() {
        Session a1 = session("alice", T0);
        Session a2 = session("alice", T0.plusSeconds(1));
        Session b = session("bob", T0);
        Session c = session("carol", T0);
        for (Session s : List.of(a1, a2, b, c)) {
            store.create(s);
        }
        assertThat(store.deleteByUser("alice")).isEqualTo(2);
        assertThat(store.deleteByUser("ALICE")).isZero(); // exact, canonical names
        assertThat(store.get(a1.idHash())).isEmpty();
        assertThat(store.get(b.idHash())).isPresent();

        assertThat(store.deleteByIdPrefix(b.displayId().substring(0, 6))).isEqualTo(1);
        assertThat(store.get(b.idHash())).isEmpty();
        assertThatThrownBy(() -> store.deleteByIdPrefix("%")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.deleteByIdPrefix("")).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.deleteAll()).isEqualTo(1);
        assertThat(store.get(c.idHash())).isEmpty();
    }

    @Test
    void listsSummariesWithoutKeysOrAttributeValues() {
        Session a = session("alice", T0).withAttribute("csrf", "secret-token");
        Session b = session("bob", T0);
        store.create(a);
        store.create(b);
        List<SessionSummary> all = store.list(Optional.empty());
        assertThat(all).extracting(SessionSummary::user).containsExactly("alice", "bob");
        assertThat(all.get(0).displayId()).isEqualTo(a.displayId());
        assertThat(all.get(0).factors()).containsExactly(AuthFactor.PASSWORD);
        assertThat(all.get(0).toString()).doesNotContain("secret-token");
        assertThat(store.list(Optional.of("bob"))).extracting(SessionSummary::displayId).containsExactly(b.displayId());
    }

    @Test
    void purgesSessionsPastEitherDeadlineInclusive() {
        Session idleSoon = new Session(SessionId.generate(RANDOM).hash(), "a", T0, T0, T0.plusSeconds(60),
                T0.plusSeconds(3600), Map.of(AuthFactor.PASSWORD, T0), Map.of(), 0);
        Session absoluteSoon = new Session(SessionId.generate(RANDOM).hash(), "b", T0, T0, T0.plusSeconds(600),
                T0.plusSeconds(60), Map.of(AuthFactor.PASSWORD, T0), Map.of(), 0);
        Session live = new Session(SessionId.generate(RANDOM).hash(), "c", T0, T0, T0.plusSeconds(600),
                T0.plusSeconds(3600), Map.of(AuthFactor.PASSWORD, T0), Map.of(), 0);
        for (Session s : List.of(idleSoon, absoluteSoon, live)) {
            store.create(s);
        }
        assertThat(store.purgeExpired(T0.plusSeconds(60).minusMillis(1))).isZero();
        assertThat(store.purgeExpired(T0.plusSeconds(60))).isEqualTo(2);
        assertThat(store.get(live.idHash())).isPresent();
    }

    @Test
    void sessionToStringHidesAttributeValues() {
        Session s = session("alice", T0).withAttribute("csrf", "secret-token");
        assertThat(s.toString()).contains("csrf").contains("alice").contains(s.displayId())
                .doesNotContain("secret-token");
    }
}
