package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.RedisConfig;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RedisServer;
import org.portcullis.session.SessionId;
import org.portcullis.signin.DesktopTokens;
import org.portcullis.tcp.ConnectGrants;
import org.portcullis.tokens.HashedTokens;

/**
 * {@link RedisTokenStore} as two nodes use it (each its own connections to one real Redis), through the classes the
 * gateway wires on it: a desktop token or a connect code issued by one node is taken once by racers on both, a connect
 * token works on both as often as asked, Redis holds neither a token nor a session id, and an unreachable Redis
 * throws (the callers refuse) instead of answering.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisTokenStoreTest {
    @TempDir
    static Path dir;

    static RedisServer redis;
    static RedisConnections nodeOne;
    static RedisConnections nodeTwo;
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

    @BeforeAll
    static void start() {
        RedisRequirement.require();
        redis = RedisServer.start(dir.resolve("redis"));
        RedisConfig config = new RedisConfig(new RedisConfig.Server(false, "127.0.0.1", redis.port(), 0), null, null,
                null, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5), "tok:");
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

    static DesktopTokens desktops(RedisConnections node) {
        return new DesktopTokens(new RedisTokenStore(node, CLOCK), CLOCK, new SecureRandom());
    }

    static ConnectGrants connect(RedisConnections node) {
        return new ConnectGrants(new RedisTokenStore(node, CLOCK), new RedisTokenStore(node, CLOCK), CLOCK,
                new SecureRandom());
    }

    @Test
    void aDesktopTokenIsTakenByExactlyOneOfSixteenRacersOnTwoNodes() throws Exception {
        SessionId session = SessionId.generate(new SecureRandom());
        String token = desktops(nodeOne).issue(session, "alice", "ward-pc");
        List<DesktopTokens> nodes = List.of(desktops(nodeOne), desktops(nodeTwo));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DesktopTokens.Redeemed>> racers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                DesktopTokens node = nodes.get(i % 2);
                racers.add(pool.submit((Callable<DesktopTokens.Redeemed>) () -> node.redeem(token)));
            }
            List<DesktopTokens.Redeemed> results = new ArrayList<>();
            for (Future<DesktopTokens.Redeemed> racer : racers) {
                results.add(racer.get());
            }
            List<DesktopTokens.Redeemed> wins = results.stream().filter(r -> r.grant() != null).toList();
            assertThat(wins).hasSize(1);
            assertThat(wins.get(0).grant().session().hash()).isEqualTo(session.hash());
            assertThat(wins.get(0).grant().desktop()).isEqualTo("ward-pc");
            assertThat(results.stream().filter(r -> r.grant() == null).map(DesktopTokens.Redeemed::refusal))
                    .hasSize(15).containsOnly(DesktopTokens.Refusal.REUSED_TOKEN);
        } finally {
            pool.shutdownNow();
        }
        // The spent mark keeps the token's own expiry, no longer.
        long ttl = Long.parseLong(redis.command("PTTL " + onlyKey("rdp-token")).substring(1));
        assertThat(ttl).isBetween(1L, DesktopTokens.LIFETIME.toMillis());
    }

    @Test
    void aConnectCodeIsExchangedOnceOnEitherNodeAndItsTokenWorksOnBothUntilItExpires() {
        SessionId session = SessionId.generate(new SecureRandom());
        String verifier = "v".repeat(50);
        String redirect = "http://127.0.0.1:9/cb";
        Instant sessionEnd = CLOCK.instant().plus(Duration.ofHours(1));
        String code = connect(nodeOne).issueCode(session, "echo", sessionEnd, redirect,
                ConnectGrants.challengeOf(verifier)).orElseThrow();
        String token = connect(nodeTwo).redeem(code, verifier, redirect).orElseThrow();
        assertThat(connect(nodeOne).redeem(code, verifier, redirect)).isEmpty();
        assertThat(connect(nodeTwo).redeem(code, verifier, redirect)).isEmpty();
        for (int i = 0; i < 3; i++) {
            for (RedisConnections node : List.of(nodeOne, nodeTwo)) {
                ConnectGrants.Lookup lookup = connect(node).lookup(token);
                assertThat(lookup.grant()).isNotNull();
                assertThat(lookup.grant().session().hash()).isEqualTo(session.hash());
                assertThat(lookup.grant().target()).isEqualTo("echo");
                assertThat(lookup.grant().expires()).isEqualTo(sessionEnd);
            }
        }
        // Redis holds hashes and sealed grants: no code, no token, no session id, in any key or value.
        for (String key : nodeOne.sync().keys("tok:*")) {
            String value = nodeOne.sync().get(key);
            for (String secret : List.of(code, token, session.cookieValue())) {
                assertThat(key).doesNotContain(secret);
                assertThat(value).doesNotContain(secret);
            }
        }
        // A wrong verifier burns the code for everyone.
        String burnt = connect(nodeOne).issueCode(session, "echo", sessionEnd, redirect,
                ConnectGrants.challengeOf(verifier)).orElseThrow();
        assertThat(connect(nodeTwo).redeem(burnt, "w".repeat(50), redirect)).isEmpty();
        assertThat(connect(nodeOne).redeem(burnt, verifier, redirect)).isEmpty();
        // The injected clock decides expiry, the same on every node.
        CLOCK.advance(Duration.ofHours(1));
        assertThat(connect(nodeTwo).lookup(token).refusal()).isEqualTo(ConnectGrants.Refusal.EXPIRED);
        CLOCK.set(Instant.parse("2026-12-07T10:00:00Z"));
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: stops Redis
    void anUnreachableRedisThrowsInsteadOfAnswering() {
        HashedTokens issued = new HashedTokens(new RedisTokenStore(nodeOne, CLOCK), "outage", CLOCK,
                new SecureRandom());
        String token = issued.issue(new byte[] {1}, CLOCK.instant().plusSeconds(60)).orElseThrow();
        redis.stop();
        try {
            assertThatThrownBy(() -> issued.take(token)).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> issued.peek(token)).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> issued.issue(new byte[] {2}, CLOCK.instant().plusSeconds(60)))
                    .isInstanceOf(RuntimeException.class);
        } finally {
            redis.start();
        }
    }

    private static String onlyKey(String kind) {
        List<String> keys = nodeOne.sync().keys("tok:token:" + kind + ":*");
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }
}
