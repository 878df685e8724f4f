package org.portcullis.cluster;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.portal.guard.CallbackCodeHash;
import org.portcullis.portal.guard.CallbackCodeStore;
import org.portcullis.portal.guard.PendingCallback;
import org.portcullis.session.SessionIdHash;
import org.portcullis.storage.PostgresDatabase;

/**
 * {@link CallbackCodeStore} in PostgreSQL, for a cluster without Redis: the portal on one node issues the code the
 * callback redeems on another. One row of {@code sso_callback_codes} per code, keyed by its SHA-256 (never the code).
 * {@link #put} inserts ({@code ON CONFLICT DO NOTHING}: a repeated key is refused, as in memory); {@link #take} is
 * {@code DELETE … RETURNING}, one atomic statement, so of any number of racing redemptions on any nodes exactly one
 * gets the entry. The caller checks the expiry (the entry is returned expired or not, as the contract says); rows past
 * it are swept.
 */
public final class PostgresCallbackCodeStore implements CallbackCodeStore {
    private final PostgresDatabase database;
    private final ExpiredRowSweep sweep;

    public PostgresCallbackCodeStore(PostgresDatabase database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.sweep = new ExpiredRowSweep(database, "sso_callback_codes", clock);
    }

    @Override
    public void put(CallbackCodeHash key, PendingCallback pending) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(pending, "pending");
        sweep.maybeSweep();
        int inserted = database.atomically(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sso_callback_codes (code_hash, host,"
                    + " portal_session, return_path, state_binding, issued_ms, expires_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setBytes(1, key.bytes());
                insert.setString(2, pending.host());
                insert.setBytes(3, pending.portalSession().bytes());
                insert.setString(4, pending.returnPathAndQuery());
                insert.setString(5, pending.stateBinding());
                insert.setLong(6, pending.issuedAt().toEpochMilli());
                insert.setLong(7, pending.expiresAt().toEpochMilli());
                return insert.executeUpdate();
            }
        });
        if (inserted != 1) {
            throw new IllegalStateException("PostgresCallbackCodeStore: a code was issued twice");
        }
    }

    @Override
    public Optional<PendingCallback> take(CallbackCodeHash key) {
        Objects.requireNonNull(key, "key");
        return database.atomically(c -> {
            try (PreparedStatement take = c.prepareStatement("DELETE FROM sso_callback_codes WHERE code_hash = ?"
                    + " RETURNING host, portal_session, return_path, state_binding, issued_ms, expires_ms")) {
                take.setBytes(1, key.bytes());
                try (ResultSet row = take.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new PendingCallback(row.getString(1), SessionIdHash.of(row.getBytes(2)),
                            row.getString(3), row.getString(4), Instant.ofEpochMilli(row.getLong(5)),
                            Instant.ofEpochMilli(row.getLong(6))));
                }
            }
        });
    }
}
