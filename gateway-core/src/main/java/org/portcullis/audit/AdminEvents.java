package org.portcullis.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.storage.Database;

/**
 * The {@code admin_events} table (StorageSchema version 5): command-line tools add what they did, the gateway's
 * {@link AdminEventRelay} takes the rows out into the audit trail.
 */
public final class AdminEvents {
    private static final int BATCH = 500;

    private final Database database;

    public AdminEvents(Database database) {
        this.database = database;
    }

    /** Records that {@code command} ran, by the operating-system user running this process. */
    public void record(Clock clock, String command, AuditOutcome outcome, String target, String detail) {
        String actor = System.getProperty("user.name", "unknown");
        database.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO admin_events"
                    + " (at_ms, command, outcome, actor, target, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, clock.millis());
                insert.setString(2, command);
                insert.setString(3, outcome.ecsValue());
                insert.setString(4, actor);
                insert.setString(5, target);
                insert.setString(6, detail);
                insert.executeUpdate();
                return null;
            }
        });
    }

    /** A row read for the relay, with its id for {@link #delete}. */
    record Pending(long id, AdminCommand event) {
    }

    /** The oldest waiting rows, at most a batch. */
    List<Pending> oldest() {
        return database.read(c -> {
            List<Pending> rows = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, at_ms, command, outcome, actor, target,"
                    + " detail FROM admin_events ORDER BY id LIMIT " + BATCH);
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    AuditOutcome outcome = "success".equals(row.getString("outcome")) ? AuditOutcome.SUCCESS
                            : AuditOutcome.FAILURE;
                    rows.add(new Pending(row.getLong("id"), new AdminCommand(Instant.ofEpochMilli(row.getLong("at_ms")),
                            row.getString("command"), outcome, row.getString("actor"), row.getString("target"),
                            row.getString("detail"))));
                }
            }
            return rows;
        });
    }

    /** Deletes rows up to and including {@code lastId}, once they are in the trail. */
    void delete(long lastId) {
        database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM admin_events WHERE id <= ?")) {
                delete.setLong(1, lastId);
                return delete.executeUpdate();
            }
        });
    }
}
