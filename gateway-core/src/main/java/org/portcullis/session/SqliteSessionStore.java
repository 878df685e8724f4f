package org.portcullis.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.portcullis.policy.AuthFactor;
import org.portcullis.storage.Database;
import org.portcullis.storage.StorageException;

/**
 * {@link SessionStore} on the embedded database (table {@code sessions}, see {@code StorageSchema}). Keys are the
 * 32 bytes of {@link SessionIdHash}; compare-and-set is one {@code UPDATE … WHERE version = ?} (or, for a rotation,
 * {@code DELETE … WHERE version = ?} then {@code INSERT}) inside one {@code BEGIN IMMEDIATE} transaction, so the
 * check and the write cannot be split by another writer, in this process or another (the CLI).
 */
public final class SqliteSessionStore implements SessionStore {

    static final Pattern DISPLAY_ID_PREFIX = Pattern.compile("[0-9a-f]{1," + SessionIdHash.DISPLAY_ID_LENGTH + "}");

    private static final String COLUMNS = "id_hash, display_id, user_name, created_ms, last_seen_ms, idle_expiry_ms,"
            + " absolute_expiry_ms, factors, attributes, version";
    private static final String SUMMARY_COLUMNS = "display_id, user_name, created_ms, last_seen_ms, idle_expiry_ms,"
            + " absolute_expiry_ms, factors";

    private final Database database;

    public SqliteSessionStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public Optional<Session> get(SessionIdHash idHash) {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM sessions WHERE id_hash = ?")) {
                select.setBytes(1, idHash.bytes());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(session(row)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void create(Session session) {
        database.write(c -> {
            insert(c, session);
            return null;
        });
    }

    @Override
    public boolean compareAndSet(Session expected, Session replacement) {
        if (replacement.version() != expected.version() + 1) {
            throw new IllegalArgumentException("SqliteSessionStore: replacement version must be "
                    + (expected.version() + 1) + " but is " + replacement.version());
        }
        if (!replacement.user().equals(expected.user())) {
            throw new IllegalArgumentException("SqliteSessionStore: a replacement never changes the user");
        }
        return database.write(c -> {
            if (replacement.idHash().equals(expected.idHash())) {
                return update(c, expected.version(), replacement);
            }
            if (!deleteVersion(c, expected)) {
                return false;
            }
            insert(c, replacement);
            return true;
        });
    }

    @Override
    public boolean delete(SessionIdHash idHash) {
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM sessions WHERE id_hash = ?")) {
                delete.setBytes(1, idHash.bytes());
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int deleteByUser(String user) {
        Objects.requireNonNull(user, "user");
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM sessions WHERE user_name = ?")) {
                delete.setString(1, user);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public List<SessionIdHash> deleteOthers(String user, SessionIdHash keep) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(keep, "keep");
        return database.write(c -> {
            List<SessionIdHash> doomed = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id_hash FROM sessions WHERE user_name = ? AND id_hash <> ?")) {
                select.setString(1, user);
                select.setBytes(2, keep.bytes());
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        doomed.add(SessionIdHash.of(row.getBytes("id_hash")));
                    }
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM sessions WHERE id_hash = ?")) {
                for (SessionIdHash hash : doomed) {
                    delete.setBytes(1, hash.bytes());
                    delete.executeUpdate();
                }
            }
            return List.copyOf(doomed);
        });
    }

    @Override
    public int deleteByAttribute(String user, String attribute, String value) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(value, "value");
        // Attributes are an encoded map, so the matching rows are picked here, inside the one write transaction:
        // a host session created concurrently either is seen and deleted, or is created after and finds its
        // sign-in gone at its first request (its portal session is deleted in this same step).
        return database.write(c -> {
            List<byte[]> doomed = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id_hash, attributes FROM sessions WHERE user_name = ?")) {
                select.setString(1, user);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        if (value.equals(SessionCodec.decodeAttributes(row.getString("attributes")).get(attribute))) {
                            doomed.add(row.getBytes("id_hash"));
                        }
                    }
                }
            }
            int deleted = 0;
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM sessions WHERE id_hash = ?")) {
                for (byte[] idHash : doomed) {
                    delete.setBytes(1, idHash);
                    deleted += delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    @Override
    public int deleteByIdPrefix(String prefix) {
        if (prefix == null || !DISPLAY_ID_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("SqliteSessionStore: a display id prefix is 1 to "
                    + SessionIdHash.DISPLAY_ID_LENGTH + " lower-case hex digits");
        }
        return database.write(c -> {
            // substr, not LIKE: the prefix is matched literally, whatever characters a later change lets through.
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM sessions WHERE substr(display_id, 1, ?) = ?")) {
                delete.setInt(1, prefix.length());
                delete.setString(2, prefix);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int deleteAll() {
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM sessions")) {
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public List<SessionSummary> list(Optional<String> user) {
        return database.read(c -> {
            String sql = "SELECT " + SUMMARY_COLUMNS + " FROM sessions"
                    + (user.isPresent() ? " WHERE user_name = ?" : "") + " ORDER BY user_name, created_ms";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                if (user.isPresent()) {
                    select.setString(1, user.get());
                }
                List<SessionSummary> summaries = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        summaries.add(summary(row));
                    }
                }
                return summaries;
            }
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        long nowMillis = now.toEpochMilli();
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM sessions WHERE idle_expiry_ms <= ? OR absolute_expiry_ms <= ?")) {
                delete.setLong(1, nowMillis);
                delete.setLong(2, nowMillis);
                return delete.executeUpdate();
            }
        });
    }

    private static void insert(Connection c, Session s) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setBytes(1, s.idHash().bytes());
            insert.setString(2, s.displayId());
            bindState(insert, 3, s);
            insert.setLong(10, s.version());
            insert.executeUpdate();
        }
    }

    private static boolean update(Connection c, long expectedVersion, Session s) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE sessions SET user_name = ?, created_ms = ?,"
                + " last_seen_ms = ?, idle_expiry_ms = ?, absolute_expiry_ms = ?, factors = ?, attributes = ?,"
                + " version = ? WHERE id_hash = ? AND version = ?")) {
            bindState(update, 1, s);
            update.setLong(8, s.version());
            update.setBytes(9, s.idHash().bytes());
            update.setLong(10, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    private static boolean deleteVersion(Connection c, Session expected) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM sessions WHERE id_hash = ? AND version = ?")) {
            delete.setBytes(1, expected.idHash().bytes());
            delete.setLong(2, expected.version());
            return delete.executeUpdate() == 1;
        }
    }

    /** Binds user, the four times, factors and attributes to 7 parameters from {@code first}. */
    private static void bindState(PreparedStatement statement, int first, Session s) throws SQLException {
        statement.setString(first, s.user());
        statement.setLong(first + 1, s.created().toEpochMilli());
        statement.setLong(first + 2, s.lastSeen().toEpochMilli());
        statement.setLong(first + 3, s.idleExpiry().toEpochMilli());
        statement.setLong(first + 4, s.absoluteExpiry().toEpochMilli());
        statement.setString(first + 5, SessionCodec.encodeFactors(s.factors()));
        statement.setString(first + 6, SessionCodec.encodeAttributes(s.attributes()));
    }

    private static Session session(ResultSet row) throws SQLException {
        try {
            return new Session(SessionIdHash.of(row.getBytes("id_hash")), row.getString("user_name"),
                    Instant.ofEpochMilli(row.getLong("created_ms")), Instant.ofEpochMilli(row.getLong("last_seen_ms")),
                    Instant.ofEpochMilli(row.getLong("idle_expiry_ms")),
                    Instant.ofEpochMilli(row.getLong("absolute_expiry_ms")),
                    SessionCodec.decodeFactors(row.getString("factors"), AuthFactor.class),
                    SessionCodec.decodeAttributes(row.getString("attributes")), row.getLong("version"));
        } catch (IllegalArgumentException e) {
            // The message names the broken rule, never the row's content.
            throw new StorageException("unreadable session row: " + e.getMessage(), e);
        }
    }

    private static SessionSummary summary(ResultSet row) throws SQLException {
        try {
            return new SessionSummary(row.getString("display_id"), row.getString("user_name"),
                    Instant.ofEpochMilli(row.getLong("created_ms")), Instant.ofEpochMilli(row.getLong("last_seen_ms")),
                    Instant.ofEpochMilli(row.getLong("idle_expiry_ms")),
                    Instant.ofEpochMilli(row.getLong("absolute_expiry_ms")),
                    SessionCodec.decodeFactors(row.getString("factors"), AuthFactor.class).keySet());
        } catch (IllegalArgumentException e) {
            throw new StorageException("unreadable session row: " + e.getMessage(), e);
        }
    }
}
