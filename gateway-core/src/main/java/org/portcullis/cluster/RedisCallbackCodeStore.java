package org.portcullis.cluster;

import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.portal.guard.CallbackCodeHash;
import org.portcullis.portal.guard.CallbackCodeStore;
import org.portcullis.portal.guard.PendingCallback;
import org.portcullis.session.SessionIdHash;

/**
 * {@link CallbackCodeStore} in Redis, so the portal on one node can issue the code the callback redeems on another.
 * Key {@code <prefix>sso:code:HASH} (the hex SHA-256 the codes are stored as, never a code), written with
 * {@code SET … PX ttl NX} (a repeated key is refused, as in memory) and taken with {@code GETDEL}: one atomic command,
 * so of any number of racing redemptions on any nodes exactly one gets the entry. The TTL is the code's lifetime, so
 * the number of entries is bounded by the sign-in rate times 30 s without a sweep. The value is the pending callback's
 * fields in base64url, joined by dots.
 */
public final class RedisCallbackCodeStore implements CallbackCodeStore {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final RedisConnections redis;

    public RedisCallbackCodeStore(RedisConnections redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public void put(CallbackCodeHash key, PendingCallback pending) {
        Objects.requireNonNull(pending, "pending");
        long ttlMillis = Math.max(1, Duration.between(pending.issuedAt(), pending.expiresAt()).toMillis());
        String written = redis.sync().set(key(key), encode(pending), SetArgs.Builder.px(ttlMillis).nx());
        if (!"OK".equals(written)) {
            throw new IllegalStateException("RedisCallbackCodeStore: a code was issued twice");
        }
    }

    @Override
    public Optional<PendingCallback> take(CallbackCodeHash key) {
        String taken = redis.sync().getdel(key(key));
        return taken == null ? Optional.empty() : Optional.of(decode(taken));
    }

    private String key(CallbackCodeHash hash) {
        return redis.key("sso:code:" + HexFormat.of().formatHex(Objects.requireNonNull(hash, "key").bytes()));
    }

    private static String encode(PendingCallback p) {
        return String.join(".", text(p.host()), ENCODER.encodeToString(p.portalSession().bytes()),
                text(p.returnPathAndQuery()), text(p.stateBinding()), Long.toString(p.issuedAt().toEpochMilli()),
                Long.toString(p.expiresAt().toEpochMilli()));
    }

    /** Throws {@link IllegalArgumentException} for a value this class did not write: the redemption is refused. */
    private static PendingCallback decode(String value) {
        String[] f = value.split("\\.", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("RedisCallbackCodeStore: unreadable entry");
        }
        return new PendingCallback(untext(f[0]), SessionIdHash.of(DECODER.decode(f[1])), untext(f[2]), untext(f[3]),
                Instant.ofEpochMilli(Long.parseLong(f[4])), Instant.ofEpochMilli(Long.parseLong(f[5])));
    }

    private static String text(String s) {
        return ENCODER.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String untext(String s) {
        return new String(DECODER.decode(s), StandardCharsets.UTF_8);
    }
}
