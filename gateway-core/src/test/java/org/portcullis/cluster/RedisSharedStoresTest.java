package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.RedisConfig;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RedisServer;
import org.portcullis.portal.guard.CallbackCodeHash;
import org.portcullis.portal.guard.PendingCallback;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.FailureLimit;
import org.portcullis.regulation.FailureState;
import org.portcullis.regulation.Subject;
import org.portcullis.session.SessionIdHash;
import org.portcullis.webauthn.CeremonyPurpose;

/**
 * The Redis stores as two nodes use them (each node its own connections to one real Redis): a WebAuthn challenge
 * issued by one node is consumed by the other, once; an SSO code put by one is taken once whoever asks; the address
 * counters of both count together, also through two running gateways that share nothing but Redis.
 */
class RedisSharedStoresTest {
    @TempDir
    static Path dir;

    static RedisServer redis;
    static RedisConnections nodeOne;
    static RedisConnections nodeTwo;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void start() {
        RedisRequirement.require();
        redis = RedisServer.start(dir.resolve("redis"));
        RedisConfig config = new RedisConfig(new RedisConfig.Server(false, "127.0.0.1", redis.port(), 0), null, null,
                null, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5), "test:");
        nodeOne = new RedisConnections(config);
        nodeTwo = new RedisConnections(config);
    }

    @AfterAll
    static void stop() {
        if (nodeOne != null) {
            nodeOne.close();
            nodeTwo.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void challengeIssuedOnOneNodeIsConsumedOnTheOtherExactlyOnce() throws Exception {
        RedisChallengeStore one = new RedisChallengeStore(nodeOne, new SecureRandom(), CLOCK, Duration.ofMinutes(2));
        RedisChallengeStore two = new RedisChallengeStore(nodeTwo, new SecureRandom(), CLOCK, Duration.ofMinutes(2));
        byte[] challenge = one.issue("binding-a", CeremonyPurpose.REGISTRATION);
        assertThat(challenge).hasSize(32);
        assertThat(two.consume("binding-a", CeremonyPurpose.AUTHENTICATION, challenge, CLOCK.instant())).isFalse();
        assertThat(two.consume("binding-a", CeremonyPurpose.REGISTRATION, challenge, CLOCK.instant())).isTrue();
        assertThat(one.consume("binding-a", CeremonyPurpose.REGISTRATION, challenge, CLOCK.instant())).isFalse();

        // Sixteen racers on two nodes: exactly one wins.
        byte[] raced = one.issue("binding-b", CeremonyPurpose.AUTHENTICATION);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                RedisChallengeStore store = i % 2 == 0 ? one : two;
                racers.add(pool.submit((Callable<Boolean>) () -> store.consume("binding-b",
                        CeremonyPurpose.AUTHENTICATION, raced, CLOCK.instant())));
            }
            int wins = 0;
            for (Future<Boolean> racer : racers) {
                wins += racer.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }

        // A wrong guess burns it; an expired one is refused by the injected clock.
        byte[] burnt = one.issue("binding-c", CeremonyPurpose.REGISTRATION);
        assertThat(two.consume("binding-c", CeremonyPurpose.REGISTRATION, new byte[32], CLOCK.instant())).isFalse();
        assertThat(two.consume("binding-c", CeremonyPurpose.REGISTRATION, burnt, CLOCK.instant())).isFalse();
        byte[] late = one.issue("binding-d", CeremonyPurpose.REGISTRATION);
        assertThat(two.consume("binding-d", CeremonyPurpose.REGISTRATION, late,
                CLOCK.instant().plus(Duration.ofMinutes(2)))).isFalse();
    }

    @Test
    void callbackCodeIsTakenOnceWhicheverNodeAsks() {
        RedisCallbackCodeStore one = new RedisCallbackCodeStore(nodeOne);
        RedisCallbackCodeStore two = new RedisCallbackCodeStore(nodeTwo);
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        CallbackCodeHash key = CallbackCodeHash.of(hash);
        byte[] session = new byte[32];
        new SecureRandom().nextBytes(session);
        String binding = "A".repeat(43);
        PendingCallback pending = new PendingCallback("app.test", SessionIdHash.of(session), "/records?x=1&y=é",
                binding, CLOCK.instant(), CLOCK.instant().plusSeconds(30));
        one.put(key, pending);
        assertThat(two.take(key)).contains(pending);
        assertThat(one.take(key)).isEmpty();
        assertThat(two.take(key)).isEmpty();
        // The key's TTL is the code's lifetime: nothing outlives it in Redis.
        one.put(key, pending);
        assertThat(Long.parseLong(redis.command("PTTL test:sso:code:" + java.util.HexFormat.of().formatHex(hash))
                .substring(1))).isBetween(1L, 30_000L);
    }

    @Test
    void addressCountersOfBothNodesCountTogetherAndExpire() {
        RedisFailureCounter one = new RedisFailureCounter(nodeOne);
        RedisFailureCounter two = new RedisFailureCounter(nodeTwo);
        Subject address = Subject.address(java.net.InetAddress.getLoopbackAddress());
        FailureLimit limit = new FailureLimit(4, Duration.ofMinutes(5), Duration.ofMinutes(10));
        Instant now = CLOCK.instant();
        assertThat(one.recordFailure(CounterKind.PASSWORD, address, now, limit).recentFailures()).isEqualTo(1);
        assertThat(two.recordFailure(CounterKind.PASSWORD, address, now.plusSeconds(1), limit).recentFailures())
                .isEqualTo(2);
        assertThat(one.recordFailure(CounterKind.PASSWORD, address, now.plusSeconds(2), limit).recentFailures())
                .isEqualTo(3);
        FailureState locked = two.recordFailure(CounterKind.PASSWORD, address, now.plusSeconds(3), limit);
        assertThat(locked.lockedAt(now.plusSeconds(4))).isTrue();
        assertThat(locked.lockedUntil()).isEqualTo(now.plusSeconds(3).plus(Duration.ofMinutes(10)));
        assertThat(one.state(CounterKind.PASSWORD, address).lockedAt(now.plusSeconds(4))).isTrue();
        assertThat(one.state(CounterKind.PASSWORD, address).consecutiveFailures()).isEqualTo(4);
        String ttl = redis.command("PTTL test:lockout:" + CounterKind.PASSWORD.storedName() + ":address:"
                + address.value());
        assertThat(Long.parseLong(ttl.substring(1))).isBetween(1L, Duration.ofMinutes(10).toMillis());
        // Old failures leave the sliding window.
        two.reset(CounterKind.PASSWORD, address);
        one.recordFailure(CounterKind.PASSWORD, address, now, limit);
        assertThat(two.recordFailure(CounterKind.PASSWORD, address, now.plus(Duration.ofMinutes(6)), limit)
                .recentFailures()).isEqualTo(1);
    }

    @Test
    void wrongPasswordsOnTwoGatewaysSharingOnlyRedisLockTheAddressOnBoth() throws Exception {
        try (ClusterNodes separate = ClusterNodes.start(dir.resolve("separate"), 2, false,
                "cache:\n  redis:\n    url: " + redis.url() + "\n    key_prefix: \"sep:\"\nlockout:\n"
                        + "  address_max_failures: 4\n")) {
            // Two failures per node on alice (each node its own store, under the account limit): only the address
            // counter, in Redis, sees all four.
            for (int i = 0; i < 4; i++) {
                RawResponse wrong = separate.signInUpToCallback(1, 1 + i % 2, "wrong password " + i).answer();
                assertThat(wrong.status()).isEqualTo(401);
            }
            for (int node : new int[] {1, 2}) {
                RawResponse locked = separate.signInUpToCallback(1, node, ClusterNodes.PASSWORD).answer();
                assertThat(locked.status()).isEqualTo(429);
            }
        }
    }
}
