package org.portcullis.cluster;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.storage.PostgresDatabase;
import org.portcullis.tokens.TokenKey;
import org.portcullis.tokens.TokenStore;

/**
 * {@link TokenStore} in PostgreSQL, for a cluster without Redis: a token one node issues is taken by any other,
 * exactly once. One row of {@code shared_tokens} per token, keyed by kind and the hex SHA-256 of the token (never the
 * token), holding the sealed grant until {@code expires_ms}:
 * <ul>
 *   <li>{@link #put}: {@code INSERT … ON CONFLICT DO NOTHING}; a repeated key is refused, as in memory.</li>
 *   <li>{@link #take}: {@code UPDATE … SET spent = 1, value = NULL WHERE … AND spent = 0 RETURNING} the old value,
 *       one atomic statement: PostgreSQL re-checks {@code spent = 0} on the row a concurrent update committed, so of
 *       any number of racing takes on any nodes exactly one gets the value; the others, and every later take until
 *       the expiry, find the spent row ({@link TokenStore.Taken.State#SPENT}).</li>
 *   <li>{@link #peek}: a select of an unspent row.</li>
 * </ul>
 * An expired row counts as absent (checked against the injected clock) and is swept. Every store error propagates as
 * a {@code StorageException}: the caller refuses.
 */
public final class PostgresTokenStore implements TokenStore {
    private final PostgresDatabase database;
    private final Clock clock;
    private final ExpiredRowSweep sweep;

    public PostgresTokenStore(PostgresDatabase database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweep = new ExpiredRowSweep(database, "shared_tokens", clock);
    }

    @Override
    public boolean put(TokenKey key, String value, Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        sweep.maybeSweep();
        int inserted = database.atomically(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO shared_tokens"
                    + " (kind, hash, value, spent, expires_ms) VALUES (?, ?, ?, 0, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, key.kind());
                insert.setString(2, key.hash());
                insert.setString(3, value);
                insert.setLong(4, expiresAt.toEpochMilli());
                return insert.executeUpdate();
            }
        });
        if (inserted != 1) {
            throw new IllegalStateException("PostgresTokenStore: a token was issued twice");
        }
        return true;
    }

    @Override
    public Taken take(TokenKey key) {
        Objects.requireNonNull(key, "key");
        long now = clock.millis();
        return database.atomically(c -> {
            // The old value comes from the row this very statement locked and updated (a self-join on the key), so
            // it is the value of the one take that found the row unspent.
            try (PreparedStatement take = c.prepareStatement("UPDATE shared_tokens AS t SET spent = 1, value = NULL"
                    + " FROM shared_tokens AS old WHERE t.kind = ? AND t.hash = ? AND t.spent = 0 AND t.expires_ms > ?"
                    + " AND old.kind = t.kind AND old.hash = t.hash RETURNING old.value")) {
                take.setString(1, key.kind());
                take.setString(2, key.hash());
                take.setLong(3, now);
                try (ResultSet row = take.executeQuery()) {
                    if (row.next()) {
                        return Taken.fresh(row.getString(1));
                    }
                }
            }
            try (PreparedStatement spent = c.prepareStatement("SELECT 1 FROM shared_tokens"
                    + " WHERE kind = ? AND hash = ? AND expires_ms > ?")) {
                spent.setString(1, key.kind());
                spent.setString(2, key.hash());
                spent.setLong(3, now);
                try (ResultSet row = spent.executeQuery()) {
                    return row.next() ? Taken.USED : Taken.NONE;
                }
            }
        });
    }

    @Override
    public Optional<String> peek(TokenKey key) {
        Objects.requireNonNull(key, "key");
        long now = clock.millis();
        return database.atomically(c -> {
            try (PreparedStatement peek = c.prepareStatement("SELECT value FROM shared_tokens"
                    + " WHERE kind = ? AND hash = ? AND spent = 0 AND expires_ms > ?")) {
                peek.setString(1, key.kind());
                peek.setString(2, key.hash());
                peek.setLong(3, now);
                try (ResultSet row = peek.executeQuery()) {
                    return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
                }
            }
        });
    }
}
