package org.portcullis.cluster;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Properties;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.config.RedisConfig;
import org.portcullis.portal.guard.CallbackCodeStore;
import org.portcullis.portal.guard.InMemoryCallbackCodeStore;
import org.portcullis.regulation.FailureCounter;
import org.portcullis.regulation.SplitFailureCounter;
import org.portcullis.session.CacheFreshness;
import org.portcullis.session.SessionFanOut;
import org.portcullis.session.SessionInvalidations;
import org.portcullis.storage.PostgresDatabase;
import org.portcullis.tokens.InMemoryTokenStore;
import org.portcullis.tokens.TokenStore;
import org.portcullis.webauthn.ChallengeStore;
import org.portcullis.webauthn.InMemoryChallengeStore;
import org.portcullis.webauthn.RelyingPartySettings;

/**
 * What a node shares with the others, or keeps to itself: without {@code cache.redis} (a single gateway) WebAuthn
 * challenges, SSO callback codes and the remote-access tokens ({@link #tokenStore}) stay in memory on a SQLite store
 * and the failure counters in the durable store, as before; on a PostgreSQL store they are rows of that store and the
 * invalidations travel on its {@code LISTEN/NOTIFY} ({@link #postgres}); with Redis, challenges, codes, tokens and
 * the per-address counters are in Redis and the node's session invalidations travel on the fan-out channel
 * ({@link SessionFanOut}), whose silence beyond the staleness budget makes the node refuse signed-in requests
 * ({@link #freshness()}). Built once by the server's sign-in assembly; closed with it.
 */
public final class SharedState implements AutoCloseable {
    /** The {@code LISTEN/NOTIFY} channel of a PostgreSQL cluster (notifications are per database). */
    public static final String CHANNEL = "portcullis_invalidations";

    private final CallbackCodeStore callbackCodes;
    private final ChallengeStore challenges;
    private final FailureCounter failures;
    private final CacheFreshness freshness;
    private final SessionFanOut fanOut;
    private final RedisConnections redis;
    private final PostgresDatabase postgres;
    private final Clock clock;

    private SharedState(CallbackCodeStore callbackCodes, ChallengeStore challenges, FailureCounter failures,
                        CacheFreshness freshness, SessionFanOut fanOut, RedisConnections redis,
                        PostgresDatabase postgres, Clock clock) {
        this.callbackCodes = callbackCodes;
        this.challenges = challenges;
        this.failures = failures;
        this.freshness = freshness;
        this.fanOut = fanOut;
        this.redis = redis;
        this.postgres = postgres;
        this.clock = clock;
    }

    /** A single gateway's: everything in this process, the counters in {@code durable}. */
    public static SharedState local(FailureCounter durable, Clock clock, SecureRandom random) {
        return new SharedState(new InMemoryCallbackCodeStore(clock),
                new InMemoryChallengeStore(random, clock, RelyingPartySettings.DEFAULT_CHALLENGE_TTL), durable,
                CacheFreshness.ALWAYS, null, null, null, clock);
    }

    /**
     * A cluster node's: connects to Redis (failing the start when it cannot) and starts the fan-out of
     * {@code invalidations}.
     */
    public static SharedState redis(RedisConfig config, SessionInvalidations invalidations, FailureCounter durable,
                                    Clock clock, SecureRandom random) {
        Objects.requireNonNull(config, "config");
        RedisConnections redis = new RedisConnections(config);
        try {
            SessionFanOut fanOut = new SessionFanOut(new RedisInvalidationChannel(redis, random), invalidations,
                    config.stalenessBudget());
            return new SharedState(new RedisCallbackCodeStore(redis),
                    new RedisChallengeStore(redis, random, clock, RelyingPartySettings.DEFAULT_CHALLENGE_TTL),
                    new SplitFailureCounter(durable, new RedisFailureCounter(redis)), fanOut, fanOut, redis, null,
                    clock);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /**
     * A node of a cluster on PostgreSQL without Redis: session invalidations travel on PostgreSQL
     * {@code LISTEN/NOTIFY} ({@link PostgresInvalidationChannel}, on connections of its own), with the same staleness
     * budget as on Redis ({@code storage.postgresql.staleness_budget}). WebAuthn challenges, callback codes and
     * remote-access tokens are rows of {@code database} (taken once with one atomic statement each), the failure
     * counters are in the durable store (docs/cluster.md, "Without Redis").
     */
    public static SharedState postgres(PostgresqlConfig config, PostgresDatabase database,
                                       SessionInvalidations invalidations, FailureCounter durable, Clock clock,
                                       SecureRandom random) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(database, "database");
        Properties properties = PostgresDatabase.driverProperties(config, "portcullis-fan-out");
        properties.setProperty("user", config.user());
        if (config.password() != null) {
            properties.setProperty("password", config.password());
        }
        SessionFanOut fanOut = new SessionFanOut(new PostgresInvalidationChannel(config.jdbcUrl(), properties,
                CHANNEL, random), invalidations, config.stalenessBudget());
        return new SharedState(new PostgresCallbackCodeStore(database, clock),
                new PostgresChallengeStore(database, random, clock, RelyingPartySettings.DEFAULT_CHALLENGE_TTL),
                durable, fanOut, fanOut, null, database, clock);
    }

    public CallbackCodeStore callbackCodes() {
        return callbackCodes;
    }

    /**
     * A store for one kind of token (remote-desktop tokens, connect codes, connect tokens): this process's memory,
     * holding at most {@code maxInMemory}, or Redis or the PostgreSQL store, where every node takes what any node
     * issued.
     */
    public TokenStore tokenStore(int maxInMemory) {
        if (redis != null) {
            return new RedisTokenStore(redis, clock);
        }
        return postgres == null ? new InMemoryTokenStore(clock, maxInMemory) : new PostgresTokenStore(postgres, clock);
    }

    public ChallengeStore challenges() {
        return challenges;
    }

    public FailureCounter failures() {
        return failures;
    }

    /** Whether this node has a fan-out channel (Redis or PostgreSQL), so that readiness has a part to check. */
    public boolean shared() {
        return fanOut != null;
    }

    /**
     * Why the shared state cannot be trusted now (readiness): with Redis or PostgreSQL, the fan-out channel has not been heard
     * within its staleness budget (signed-in requests are refused meanwhile). Always empty for one node's own memory.
     */
    public java.util.Optional<String> problem() {
        return freshness().fresh() ? java.util.Optional.empty()
                : java.util.Optional.of("fan-out channel not heard within the staleness budget");
    }

    /** Whether signed-in requests may be answered now (always, on a single gateway). */
    public CacheFreshness freshness() {
        return freshness;
    }

    /** Stops the fan-out (closing its channel), then closes the connections to Redis if any. */
    @Override
    public void close() {
        if (fanOut != null) {
            fanOut.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
