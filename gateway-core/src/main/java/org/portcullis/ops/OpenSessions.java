package org.portcullis.ops;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import org.portcullis.storage.Database;

/** The number of sessions in the store that have not expired, for the {@code portcullis_sessions_open} gauge. */
final class OpenSessions {
    private OpenSessions() {
    }

    /** NaN when the store cannot answer (the gauge then shows no value rather than a wrong one). */
    static double count(Database storage, Clock clock) {
        try {
            long now = clock.millis();
            return storage.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM sessions"
                        + " WHERE idle_expiry_ms > ? AND absolute_expiry_ms > ?")) {
                    statement.setLong(1, now);
                    statement.setLong(2, now);
                    try (ResultSet rows = statement.executeQuery()) {
                        return rows.next() ? (double) rows.getLong(1) : Double.NaN;
                    }
                }
            });
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
