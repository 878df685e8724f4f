package org.portcullis.cluster;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.portcullis.storage.PostgresDatabase;
import org.portcullis.webauthn.CeremonyPurpose;
import org.portcullis.webauthn.ChallengeStore;
import org.portcullis.webauthn.InMemoryChallengeStore;

/**
 * {@link ChallengeStore} in PostgreSQL, for a cluster without Redis: a ceremony started on one node finishes on
 * another. One row of {@code webauthn_challenges} per session binding (the hash of the portal session id, never the
 * id) and purpose. Issuing replaces the row ({@code INSERT … ON CONFLICT DO UPDATE}); consuming takes it with
 * {@code DELETE … RETURNING}, one atomic statement, so of any number of nodes racing for one challenge at most one
 * gets it, and a wrong answer burns it, as in memory and in Redis. The expiry is checked against the injected clock.
 */
public final class PostgresChallengeStore implements ChallengeStore {
    private final PostgresDatabase database;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration ttl;
    private final ExpiredRowSweep sweep;

    public PostgresChallengeStore(PostgresDatabase database, SecureRandom random, Clock clock, Duration ttl) {
        this.database = Objects.requireNonNull(database, "database");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.sweep = new ExpiredRowSweep(database, "webauthn_challenges", clock);
    }

    @Override
    public byte[] issue(String sessionBinding, CeremonyPurpose purpose) {
        if (sessionBinding == null || sessionBinding.isBlank()) {
            throw new IllegalArgumentException("a challenge must be bound to a session");
        }
        sweep.maybeSweep();
        byte[] challenge = new byte[InMemoryChallengeStore.CHALLENGE_BYTES];
        random.nextBytes(challenge);
        long expires = clock.instant().plus(ttl).toEpochMilli();
        database.atomically(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO webauthn_challenges"
                    + " (binding, purpose, challenge, expires_ms) VALUES (?, ?, ?, ?) ON CONFLICT (binding, purpose)"
                    + " DO UPDATE SET challenge = excluded.challenge, expires_ms = excluded.expires_ms")) {
                upsert.setString(1, sessionBinding);
                upsert.setString(2, name(purpose));
                upsert.setBytes(3, challenge);
                upsert.setLong(4, expires);
                return upsert.executeUpdate();
            }
        });
        return challenge;
    }

    @Override
    public boolean consume(String sessionBinding, CeremonyPurpose purpose, byte[] challenge, Instant now) {
        if (sessionBinding == null || sessionBinding.isBlank() || challenge == null) {
            return false;
        }
        return database.atomically(c -> {
            try (PreparedStatement take = c.prepareStatement("DELETE FROM webauthn_challenges"
                    + " WHERE binding = ? AND purpose = ? RETURNING challenge, expires_ms")) {
                take.setString(1, sessionBinding);
                take.setString(2, name(purpose));
                try (ResultSet row = take.executeQuery()) {
                    return row.next() && MessageDigest.isEqual(row.getBytes(1), challenge)
                            && now.isBefore(Instant.ofEpochMilli(row.getLong(2)));
                }
            }
        });
    }

    private static String name(CeremonyPurpose purpose) {
        return Objects.requireNonNull(purpose, "purpose").name().toLowerCase(Locale.ROOT);
    }
}
