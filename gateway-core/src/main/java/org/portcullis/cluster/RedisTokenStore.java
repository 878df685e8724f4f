package org.portcullis.cluster;

import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.tokens.TokenKey;
import org.portcullis.tokens.TokenStore;

/**
 * {@link TokenStore} in Redis, so that a token one node issues is taken by any other, exactly once. Key
 * {@code <prefix>token:KIND:HASH} (the hex SHA-256 of the token, never the token), value the sealed grant:
 * <ul>
 *   <li>{@link #put}: {@code SET key value PX ttl NX}, the TTL reaching the token's expiry, so entries need no sweep;
 *       a repeated key is refused, as in memory.</li>
 *   <li>{@link #take}: {@code SET key * XX KEEPTTL GET}: one atomic command that swaps the value for the spent mark
 *       and answers the old one, so of any number of racing takes on any nodes exactly one gets the value, the others
 *       see the mark ({@link TokenStore.Taken.State#SPENT}) until the entry's own expiry; {@code XX} leaves an absent
 *       key absent.</li>
 *   <li>{@link #peek}: {@code GET}.</li>
 * </ul>
 * Every Redis error or timeout propagates (the command timeout of {@code cache.redis}): the caller refuses.
 */
public final class RedisTokenStore implements TokenStore {
    /** Not a base64url character, so never a sealed value. */
    static final String SPENT_MARK = "*";

    private final RedisConnections redis;
    private final Clock clock;

    public RedisTokenStore(RedisConnections redis, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean put(TokenKey key, String value, Instant expiresAt) {
        Objects.requireNonNull(value, "value");
        long ttlMillis = Math.max(1, Duration.between(clock.instant(), expiresAt).toMillis());
        String written = redis.sync().set(key(key), value, SetArgs.Builder.px(ttlMillis).nx());
        if (!"OK".equals(written)) {
            throw new IllegalStateException("RedisTokenStore: a token was issued twice");
        }
        return true;
    }

    @Override
    public Taken take(TokenKey key) {
        String old = redis.sync().setGet(key(key), SPENT_MARK, SetArgs.Builder.xx().keepttl());
        if (old == null) {
            return Taken.NONE;
        }
        return SPENT_MARK.equals(old) ? Taken.USED : Taken.fresh(old);
    }

    @Override
    public Optional<String> peek(TokenKey key) {
        String value = redis.sync().get(key(key));
        return value == null || SPENT_MARK.equals(value) ? Optional.empty() : Optional.of(value);
    }

    private String key(TokenKey key) {
        Objects.requireNonNull(key, "key");
        return redis.key("token:" + key.kind() + ":" + key.hash());
    }
}
