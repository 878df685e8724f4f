package org.portcullis.cluster;

import io.lettuce.core.SetArgs;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.portcullis.webauthn.CeremonyPurpose;
import org.portcullis.webauthn.ChallengeStore;
import org.portcullis.webauthn.InMemoryChallengeStore;

/**
 * {@link ChallengeStore} in Redis, so a ceremony started on one node can finish on another. One key per session
 * binding (the hex hash of the portal session id, never the id) and purpose, {@code <prefix>webauthn:PURPOSE:BINDING},
 * holding {@code EXPIRES_MS:CHALLENGE_BASE64URL} with a TTL of the challenge's lifetime. Issuing replaces the key
 * ({@code SET … PX}); consuming takes it with {@code GETDEL}, one atomic command, so of two nodes racing for one
 * challenge at most one gets it, and a wrong answer burns it as in memory. The expiry is also checked against the
 * injected clock, not only Redis's TTL.
 */
public final class RedisChallengeStore implements ChallengeStore {
    private final RedisConnections redis;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration ttl;

    public RedisChallengeStore(RedisConnections redis, SecureRandom random, Clock clock, Duration ttl) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public byte[] issue(String sessionBinding, CeremonyPurpose purpose) {
        if (sessionBinding == null || sessionBinding.isBlank()) {
            throw new IllegalArgumentException("a challenge must be bound to a session");
        }
        byte[] challenge = new byte[InMemoryChallengeStore.CHALLENGE_BYTES];
        random.nextBytes(challenge);
        Instant expires = clock.instant().plus(ttl);
        String value = expires.toEpochMilli() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(challenge);
        redis.sync().set(key(sessionBinding, purpose), value, SetArgs.Builder.px(ttl.toMillis()));
        return challenge;
    }

    @Override
    public boolean consume(String sessionBinding, CeremonyPurpose purpose, byte[] challenge, Instant now) {
        if (sessionBinding == null || sessionBinding.isBlank() || challenge == null) {
            return false;
        }
        String taken = redis.sync().getdel(key(sessionBinding, purpose));
        if (taken == null) {
            return false;
        }
        int colon = taken.indexOf(':');
        try {
            Instant expires = Instant.ofEpochMilli(Long.parseLong(taken.substring(0, colon)));
            byte[] stored = Base64.getUrlDecoder().decode(taken.substring(colon + 1));
            return MessageDigest.isEqual(stored, challenge) && now.isBefore(expires);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String key(String binding, CeremonyPurpose purpose) {
        return redis.key("webauthn:" + purpose.name().toLowerCase(Locale.ROOT) + ":" + binding);
    }
}
