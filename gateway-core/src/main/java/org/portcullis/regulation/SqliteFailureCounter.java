package org.portcullis.regulation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.StringJoiner;
import org.portcullis.storage.Database;

/**
 * {@link FailureCounter} on the embedded SQLite store (table {@code regulation_failures}, StorageSchema version 2).
 *
 * <p><b>Sliding log, not a fixed window.</b> Each row keeps the times of the failures still inside the window (at
 * most {@code maxFailures} of them) instead of a count and a window start. A fixed window lets an attacker put
 * {@code maxFailures - 1} guesses at the end of one window and as many again at the start of the next, nearly twice
 * the limit in a moment; the log counts exactly "N failures in any window". The list stays short (5 by default), so
 * the row is as small as a counter would be.
 *
 * <p><b>Atomicity.</b> {@link #recordFailure} reads and rewrites the row inside one
 * {@link Database#write} transaction ({@code BEGIN IMMEDIATE}), which holds the file's write lock from the
 * read on: concurrent failures, from this process or the admin CLI, are serialised and none is lost.
 */
public final class SqliteFailureCounter implements FailureCounter {

    private static final String SELECT = "SELECT recent_failures_ms, consecutive_failures, locked_until_ms"
            + " FROM regulation_failures WHERE counter = ? AND subject_kind = ? AND subject = ?";
    private static final String UPSERT = "INSERT INTO regulation_failures (counter, subject_kind, subject,"
            + " recent_failures_ms, consecutive_failures, locked_until_ms, last_failure_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (counter, subject_kind, subject) DO UPDATE SET"
            + " recent_failures_ms = excluded.recent_failures_ms,"
            + " consecutive_failures = excluded.consecutive_failures,"
            + " locked_until_ms = excluded.locked_until_ms,"
            + " last_failure_ms = excluded.last_failure_ms";

    private final Database database;

    public SqliteFailureCounter(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public FailureState state(CounterKind kind, Subject subject) {
        return database.read(c -> {
            Row row = select(c, kind, subject);
            return row == null ? FailureState.NONE : row.state();
        });
    }

    @Override
    public FailureState recordFailure(CounterKind kind, Subject subject, Instant now, FailureLimit limit) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(limit, "limit");
        long nowMs = now.toEpochMilli();
        long oldestCountedMs = nowMs - limit.window().toMillis(); // exclusive: (now - window, now]
        return database.write(c -> {
            Row row = select(c, kind, subject);
            Deque<Long> recent = new ArrayDeque<>();
            long consecutive = 0;
            long lockedUntilMs = 0;
            if (row != null) {
                for (long failureMs : row.recentMs()) {
                    if (failureMs > oldestCountedMs && failureMs <= nowMs) {
                        recent.addLast(failureMs);
                    }
                }
                consecutive = row.consecutive();
                lockedUntilMs = row.lockedUntilMs();
            }
            recent.addLast(nowMs);
            while (recent.size() > limit.maxFailures()) {
                recent.removeFirst();
            }
            consecutive = consecutive == Long.MAX_VALUE ? consecutive : consecutive + 1;
            if (recent.size() >= limit.maxFailures()) {
                // Locked: the next window starts empty, so after the lock the subject has a full set of tries
                // again (and the consecutive counter still approaches its cap).
                lockedUntilMs = Math.max(lockedUntilMs, nowMs + limit.lockout().toMillis());
                recent.clear();
            }
            try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                bindKey(upsert, kind, subject);
                upsert.setString(4, join(recent));
                upsert.setLong(5, consecutive);
                upsert.setLong(6, lockedUntilMs);
                upsert.setLong(7, nowMs);
                upsert.executeUpdate();
            }
            return new FailureState(recent.size(), consecutive, Instant.ofEpochMilli(lockedUntilMs));
        });
    }

    @Override
    public void reset(CounterKind kind, Subject subject) {
        database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM regulation_failures"
                    + " WHERE counter = ? AND subject_kind = ? AND subject = ?")) {
                bindKey(delete, kind, subject);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int resetAccountEverywhere(String canonicalAccount) {
        Subject account = Subject.account(canonicalAccount);
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM regulation_failures WHERE subject_kind = ? AND subject = ?")) {
                delete.setString(1, account.kind().storedName());
                delete.setString(2, account.value());
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int purgeIdleAddresses(Instant now, Instant idleSince) {
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM regulation_failures"
                    + " WHERE subject_kind = ? AND locked_until_ms <= ? AND last_failure_ms < ?")) {
                delete.setString(1, Subject.Kind.ADDRESS.storedName());
                delete.setLong(2, now.toEpochMilli());
                delete.setLong(3, idleSince.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    private record Row(long[] recentMs, long consecutive, long lockedUntilMs) {
        FailureState state() {
            return new FailureState(recentMs.length, consecutive, Instant.ofEpochMilli(lockedUntilMs));
        }
    }

    private static Row select(Connection c, CounterKind kind, Subject subject) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT)) {
            bindKey(select, kind, subject);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                return new Row(split(rows.getString(1)), rows.getLong(2), rows.getLong(3));
            }
        }
    }

    private static void bindKey(PreparedStatement statement, CounterKind kind, Subject subject) throws SQLException {
        statement.setString(1, Objects.requireNonNull(kind, "kind").storedName());
        statement.setString(2, Objects.requireNonNull(subject, "subject").kind().storedName());
        statement.setString(3, subject.value());
    }

    private static String join(Deque<Long> times) {
        StringJoiner text = new StringJoiner(",");
        times.forEach(t -> text.add(Long.toString(t)));
        return text.toString();
    }

    private static long[] split(String text) throws SQLException {
        if (text.isEmpty()) {
            return new long[0];
        }
        String[] parts = text.split(",", FailureLimit.MAX_FAILURES_CAP + 1);
        long[] times = new long[Math.min(parts.length, FailureLimit.MAX_FAILURES_CAP)];
        try {
            for (int i = 0; i < times.length; i++) {
                times[i] = Long.parseLong(parts[parts.length - times.length + i]);
            }
        } catch (NumberFormatException e) {
            throw new SQLException("regulation_failures.recent_failures_ms is corrupt", e);
        }
        return times;
    }
}
