package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.portal.guard.CallbackCodeHash;
import org.portcullis.portal.guard.PendingCallback;
import org.portcullis.session.SessionIdHash;
import org.portcullis.storage.PostgresDatabase;
import org.portcullis.storage.StoreBackends;
import org.portcullis.tokens.TokenKey;
import org.portcullis.tokens.TokenStore;
import org.portcullis.webauthn.CeremonyPurpose;

/**
 * The PostgreSQL stores of a cluster without Redis, each node its own connection pool on one database, with a
 * hand-moved clock: racers on two pools take one token or one code exactly once; expiry is the gateway's clock's,
 * not the database's; expired rows are swept by the next issue after the interval; and a store that cannot be
 * reached throws (the caller refuses). The end-to-end proofs are {@code PostgresSharedStateClusterTest} and
 * {@code PostgresClusterRemoteAccessTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class PostgresShortLivedStoresTest {
    static final int RACERS = 16;

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    final SecureRandom random = new SecureRandom();
    PostgresDatabase node1;
    PostgresDatabase node2;

    @BeforeAll
    void open() {
        PostgresServer postgres = PostgresServer.shared();
        PostgresqlConfig config = StoreBackends.postgresql(postgres, postgres.newDatabase(), 8, Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        node1 = PostgresDatabase.open(config);
        node2 = PostgresDatabase.open(config);
    }

    @AfterAll
    void close() {
        node1.close();
        node2.close();
    }

    @Test
    void ofRacersOnTwoNodesTakingOneTokenExactlyOneGetsItAndTheRestSeeItSpent() throws Exception {
        TokenKey key = new TokenKey("rdp-token", hex(32));
        new PostgresTokenStore(node1, clock).put(key, "sealed-grant", clock.instant().plusSeconds(300));
        List<TokenStore.Taken> taken = race(i -> new PostgresTokenStore(i % 2 == 0 ? node1 : node2, clock).take(key));
        assertThat(taken).filteredOn(t -> t.state() == TokenStore.Taken.State.FRESH).hasSize(1)
                .allSatisfy(t -> assertThat(t.value()).isEqualTo("sealed-grant"));
        assertThat(taken).filteredOn(t -> t.state() == TokenStore.Taken.State.SPENT).hasSize(RACERS - 1);
        assertThat(new PostgresTokenStore(node2, clock).peek(key)).isEmpty();
        assertThat(rows("SELECT count(*) FROM shared_tokens WHERE value IS NOT NULL AND hash = '" + key.hash() + "'"))
                .as("a spent row keeps no grant").isZero();
    }

    @Test
    void ofRacersOnTwoNodesTakingOneCallbackCodeExactlyOneGetsIt() throws Exception {
        CallbackCodeHash key = CallbackCodeHash.of(HexFormat.of().parseHex(hex(32)));
        Instant now = clock.instant();
        new PostgresCallbackCodeStore(node1, clock).put(key, new PendingCallback("app.test",
                SessionIdHash.of(HexFormat.of().parseHex(hex(32))), "/records", binding(), now, now.plusSeconds(30)));
        List<Boolean> taken = race(i -> new PostgresCallbackCodeStore(i % 2 == 0 ? node1 : node2, clock).take(key)
                .isPresent());
        assertThat(taken).containsOnlyOnce(true);
        assertThatThrownBy(() -> {
            PostgresCallbackCodeStore store = new PostgresCallbackCodeStore(node1, clock);
            PendingCallback pending = new PendingCallback("app.test", SessionIdHash.of(HexFormat.of().parseHex(
                    hex(32))), "/", binding(), now, now.plusSeconds(30));
            store.put(key, pending);
            store.put(key, pending);
        }).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ofRacersOnTwoNodesAnsweringOneChallengeExactlyOneSucceeds() throws Exception {
        String session = hex(32);
        byte[] challenge = new PostgresChallengeStore(node1, random, clock, Duration.ofMinutes(2)).issue(session,
                CeremonyPurpose.REGISTRATION);
        List<Boolean> answered = race(i -> new PostgresChallengeStore(i % 2 == 0 ? node1 : node2, random, clock,
                Duration.ofMinutes(2)).consume(session, CeremonyPurpose.REGISTRATION, challenge, clock.instant()));
        assertThat(answered).containsOnlyOnce(true);
    }

    @Test
    void expiryIsTheGatewaysClocksAndExpiredRowsAreSweptByTheNextIssue() {
        PostgresTokenStore tokens = new PostgresTokenStore(node1, clock);
        TokenKey key = new TokenKey("connect-code", hex(32));
        tokens.put(key, "grant", clock.instant().plusSeconds(60));
        PostgresChallengeStore challenges = new PostgresChallengeStore(node2, random, clock, Duration.ofMinutes(2));
        String session = hex(32);
        byte[] challenge = challenges.issue(session, CeremonyPurpose.AUTHENTICATION);

        clock.advance(Duration.ofMinutes(3)); // past both, by the gateway's clock (the database's says otherwise)
        assertThat(tokens.peek(key)).isEmpty();
        assertThat(tokens.take(key)).isEqualTo(TokenStore.Taken.NONE);
        assertThat(challenges.consume(session, CeremonyPurpose.AUTHENTICATION, challenge, clock.instant())).isFalse();

        long expired = rows("SELECT count(*) FROM shared_tokens WHERE hash = '" + key.hash() + "'");
        assertThat(expired).as("still there until a sweep").isOne();
        clock.advance(ExpiredRowSweep.INTERVAL);
        new PostgresTokenStore(node1, clock).put(new TokenKey("connect-code", hex(32)), "other",
                clock.instant().plusSeconds(60));
        assertThat(rows("SELECT count(*) FROM shared_tokens WHERE hash = '" + key.hash() + "'")).as("swept")
                .isZero();
    }

    @Test
    void aStoreThatCannotBeReachedThrows() {
        PostgresServer postgres = PostgresServer.shared();
        PostgresDatabase closed = PostgresDatabase.open(StoreBackends.postgresql(postgres, postgres.newDatabase()));
        closed.close();
        TokenKey key = new TokenKey("rdp-token", hex(32));
        assertThatThrownBy(() -> new PostgresTokenStore(closed, clock).take(key)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> new PostgresCallbackCodeStore(closed, clock).take(CallbackCodeHash.of(
                HexFormat.of().parseHex(hex(32))))).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> new PostgresChallengeStore(closed, random, clock, Duration.ofMinutes(2))
                .issue(hex(32), CeremonyPurpose.REGISTRATION)).isInstanceOf(RuntimeException.class);
    }

    interface Racer<T> {
        T run(int index) throws Exception;
    }

    <T> List<T> race(Racer<T> racer) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int index = i;
                Callable<T> task = () -> {
                    go.await();
                    return racer.run(index);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    long rows(String countSql) {
        return node1.atomically(c -> {
            try (Statement s = c.createStatement(); ResultSet row = s.executeQuery(countSql)) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    String hex(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    String binding() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
