package org.portcullis.webauthn;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link ChallengeStore} in process memory, for a single gateway instance. Expired entries are dropped when their
 * session issues or consumes again; {@link #purgeExpired()} sweeps the rest.
 */
public final class InMemoryChallengeStore implements ChallengeStore {

    /** 32 bytes (256 bits): well above the 16 bytes W3C WebAuthn §13.4.3 asks for. */
    public static final int CHALLENGE_BYTES = 32;

    private record Key(String sessionBinding, CeremonyPurpose purpose) {
    }

    private record Pending(byte[] challenge, Instant expiresAt) {
    }

    private final ConcurrentMap<Key, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;
    private final Duration ttl;

    public InMemoryChallengeStore(SecureRandom random, Clock clock, Duration ttl) {
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public byte[] issue(String sessionBinding, CeremonyPurpose purpose) {
        rejectBlankBinding(sessionBinding);
        byte[] challenge = new byte[CHALLENGE_BYTES];
        random.nextBytes(challenge);
        pending.put(new Key(sessionBinding, purpose), new Pending(challenge, clock.instant().plus(ttl)));
        return challenge.clone();
    }

    @Override
    public boolean consume(String sessionBinding, CeremonyPurpose purpose, byte[] challenge, Instant now) {
        if (sessionBinding == null || sessionBinding.isBlank() || challenge == null) {
            return false;
        }
        // remove first: a wrong guess burns the challenge too, so it cannot be retried
        Pending taken = pending.remove(new Key(sessionBinding, purpose));
        if (taken == null) {
            return false;
        }
        boolean fresh = now.isBefore(taken.expiresAt());
        return MessageDigest.isEqual(taken.challenge(), challenge) && fresh;
    }

    /** Drops every challenge that has expired. */
    public void purgeExpired() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
    }

    private static void rejectBlankBinding(String sessionBinding) {
        if (sessionBinding == null || sessionBinding.isBlank()) {
            throw new IllegalArgumentException("a challenge must be bound to a session");
        }
    }
}
