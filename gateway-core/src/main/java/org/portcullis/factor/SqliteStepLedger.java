package org.portcullis.factor;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Objects;
import org.portcullis.storage.Database;
import org.portcullis.totp.StepLedger;

/**
 * The durable {@link StepLedger} in {@code totp_used_steps} (SECURITY-RULES 13, RFC 6238 §5.2). A step is taken with
 * one conditional insert: the row {@code (user, step)} is written only if no step at or above it is recorded for the
 * user, and the primary key {@code (user_name, step)} makes a second insert of the same step fail. The write runs in
 * one {@code BEGIN IMMEDIATE} transaction, which SQLite serialises across connections and processes, so of 20
 * parallel submissions of one code, in one gateway or two gateways on one store, exactly one succeeds.
 *
 * <p>The ledger is per user, not per authenticator: a user with two apps cannot use one step twice either. Old rows
 * are pruned in the same transaction; only the newest step decides.
 *
 * <p>The ledger only compares numbers. The portal's check records each step by the epoch second it starts at, so
 * that authenticators of one user with different periods share one order (docs/totp.md).
 */
public final class SqliteStepLedger implements StepLedger {

    /** Rows kept per user below the newest step; older ones can never matter again. */
    static final long KEPT_STEPS = 16;

    private final Database database;
    private final Clock clock;

    public SqliteStepLedger(Database database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean tryAdvance(String user, String credentialId, long step) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(credentialId, "credentialId");
        return database.write(c -> {
            int inserted;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO totp_used_steps"
                    + " (user_name, step, credential_id, used_ms) SELECT ?, ?, ?, ?"
                    + " WHERE NOT EXISTS (SELECT 1 FROM totp_used_steps WHERE user_name = ? AND step >= ?)"
                    + " ON CONFLICT (user_name, step) DO NOTHING")) {
                insert.setString(1, user);
                insert.setLong(2, step);
                insert.setString(3, credentialId);
                insert.setLong(4, clock.millis());
                insert.setString(5, user);
                insert.setLong(6, step);
                inserted = insert.executeUpdate();
            }
            if (inserted == 1) {
                try (PreparedStatement prune = c.prepareStatement(
                        "DELETE FROM totp_used_steps WHERE user_name = ? AND step < ?")) {
                    prune.setString(1, user);
                    prune.setLong(2, step - KEPT_STEPS);
                    prune.executeUpdate();
                }
            }
            return inserted == 1;
        });
    }

    /** Forgets every used step of {@code user} (when their factors are reset). */
    public void forget(String user) {
        database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM totp_used_steps WHERE user_name = ?")) {
                delete.setString(1, user);
                return delete.executeUpdate();
            }
        });
    }
}
