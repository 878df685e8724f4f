package org.portcullis.signin;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.portcullis.storage.Database;

/**
 * The table {@code open_streams} (storage version 9): the long-lived streams the running gateway has open, so that
 * {@code portcullis sessions list} — another process — can show them. The gateway writes it ({@link
 * OpenStreamsPublisher}); the command reads it. Only what an admin may see: the session by its display id.
 */
public final class OpenStreamsTable {

    /** One open stream as stored. */
    public record Row(long streamId, String sessionDisplayId, String user, String kind, String target, String route,
                      String source, String factors, Instant openedAt, long bytesFromClient, long bytesToClient) {
        public Row {
            Objects.requireNonNull(sessionDisplayId, "sessionDisplayId");
            Objects.requireNonNull(openedAt, "openedAt");
        }
    }

    private final Database database;

    public OpenStreamsTable(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Forgets every row: at the gateway's start, what a previous run left is no longer open. */
    public int clear() {
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM open_streams")) {
                return delete.executeUpdate();
            }
        });
    }

    public void insert(Row row) {
        database.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO open_streams (stream_id,"
                    + " session_display_id, user_name, kind, target, route, source, factors, opened_ms,"
                    + " bytes_from_client, bytes_to_client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (stream_id) DO UPDATE SET session_display_id = excluded.session_display_id,"
                    + " user_name = excluded.user_name, kind = excluded.kind, target = excluded.target,"
                    + " route = excluded.route, source = excluded.source, factors = excluded.factors,"
                    + " opened_ms = excluded.opened_ms, bytes_from_client = excluded.bytes_from_client,"
                    + " bytes_to_client = excluded.bytes_to_client")) {
                insert.setLong(1, row.streamId());
                insert.setString(2, row.sessionDisplayId());
                insert.setString(3, row.user());
                insert.setString(4, row.kind());
                insert.setString(5, row.target());
                insert.setString(6, row.route());
                insert.setString(7, row.source());
                insert.setString(8, row.factors());
                insert.setLong(9, row.openedAt().toEpochMilli());
                insert.setLong(10, row.bytesFromClient());
                insert.setLong(11, row.bytesToClient());
                return insert.executeUpdate();
            }
        });
    }

    public void delete(long streamId) {
        database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM open_streams WHERE stream_id = ?")) {
                delete.setLong(1, streamId);
                return delete.executeUpdate();
            }
        });
    }

    /** Updates the byte counts of the rows still there (a stream that ended meanwhile stays deleted). */
    public void updateBytes(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        database.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE open_streams SET bytes_from_client = ?,"
                    + " bytes_to_client = ? WHERE stream_id = ?")) {
                for (Row row : rows) {
                    update.setLong(1, row.bytesFromClient());
                    update.setLong(2, row.bytesToClient());
                    update.setLong(3, row.streamId());
                    update.addBatch();
                }
                update.executeBatch();
                return null;
            }
        });
    }

    /** Every open stream, oldest first. */
    public List<Row> list() {
        return database.read(c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT stream_id, session_display_id, user_name,"
                    + " kind, target, route, source, factors, opened_ms, bytes_from_client, bytes_to_client"
                    + " FROM open_streams ORDER BY opened_ms, stream_id");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(new Row(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                            row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                            Instant.ofEpochMilli(row.getLong(9)), row.getLong(10), row.getLong(11)));
                }
            }
            return rows;
        });
    }
}
