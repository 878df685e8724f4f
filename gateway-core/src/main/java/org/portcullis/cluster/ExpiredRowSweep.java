package org.portcullis.cluster;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.portcullis.storage.PostgresDatabase;

/**
 * Deletes the rows of one PostgreSQL table of short-lived entries whose {@code expires_ms} has passed, at most once
 * per {@link #INTERVAL} per node, from the issuing call itself (no thread of its own, no timer: the injected clock
 * decides), so the table holds about the issue rate times the entries' lifetime. Several nodes sweeping at once only
 * delete the same rows; an expired row left a little longer is harmless, since every read checks the expiry too.
 */
final class ExpiredRowSweep {
    static final Duration INTERVAL = Duration.ofSeconds(30);

    private final PostgresDatabase database;
    private final String table;
    private final Clock clock;
    private final AtomicLong nextSweepMillis = new AtomicLong(Long.MIN_VALUE);

    /** @param table a constant table name of {@code StorageSchema} with an {@code expires_ms} column */
    ExpiredRowSweep(PostgresDatabase database, String table, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sweeps when the interval has passed since this node's last sweep; a store error propagates (the caller refuses). */
    void maybeSweep() {
        long now = clock.millis();
        long due = nextSweepMillis.get();
        if (now < due || !nextSweepMillis.compareAndSet(due, now + INTERVAL.toMillis())) {
            return;
        }
        database.atomically(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE expires_ms <= ?")) {
                delete.setLong(1, now);
                return delete.executeUpdate();
            }
        });
    }
}
