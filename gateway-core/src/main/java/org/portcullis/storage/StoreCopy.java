package org.portcullis.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Moves a single node's SQLite store into an empty PostgreSQL database ({@code portcullis storage migrate},
 * docs/cluster.md). Both are at the same schema version (each was migrated when opened), so every table has the
 * same name and columns on both sides and rows are copied as they are, encrypted secrets included: the cluster
 * must run with the same {@code storage.encryption_key}.
 *
 * <p>The copy runs inside one write transaction on each side: the SQLite store's write lock keeps a forgotten
 * gateway or CLI from changing it meanwhile, and the PostgreSQL side either receives every row or none. The target
 * is refused unless every table is empty, and the row count of every table is compared before the commit.
 */
public final class StoreCopy {
    /** Bookkeeping tables of the stores themselves, never copied. */
    private static final Set<String> OWN_TABLES = Set.of("schema_migrations", "storage_writes");

    private StoreCopy() {
    }

    /** The tables copied and how many rows each had (the same on both sides). */
    public record Result(Map<String, Long> rowsByTable) {
        public Result {
            rowsByTable = Map.copyOf(rowsByTable);
        }

        public long totalRows() {
            return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Refused: a target that is not empty, or whose tables differ from the source's. Nothing was written. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Copies every table of {@code from} into {@code to}.
     *
     * @throws Refused          the target is not empty, or the schemas differ
     * @throws StorageException either store failed; nothing was committed on the target
     */
    public static Result copy(EmbeddedDatabase from, PostgresDatabase to) {
        if (from.schemaVersion() != to.schemaVersion()) {
            throw new Refused("schema versions differ: source " + from.schemaVersion() + ", target "
                    + to.schemaVersion());
        }
        return from.write(source -> to.write(target -> copyTables(source, target)));
    }

    private static Result copyTables(Connection source, Connection target) throws SQLException {
        Set<String> sourceTables = sourceTables(source);
        Set<String> targetTables = targetTables(target);
        if (!sourceTables.equals(targetTables)) {
            throw new Refused("the tables differ: source " + sourceTables + ", target " + targetTables);
        }
        for (String table : targetTables) {
            long rows = count(target, table);
            if (rows != 0) {
                throw new Refused("the target is not empty: " + table + " has " + rows
                        + (rows == 1 ? " row" : " rows") + " (migrate only into a new, empty database)");
            }
        }
        Map<String, Long> copied = new LinkedHashMap<>();
        for (String table : sourceTables) {
            long rows = copyTable(source, target, table);
            long inTarget = count(target, table);
            long inSource = count(source, table);
            if (rows != inSource || inTarget != inSource) {
                throw new StorageException("row counts differ for " + table + ": source " + inSource + ", copied "
                        + rows + ", target " + inTarget + "; nothing was committed");
            }
            copied.put(table, inTarget);
        }
        moveIdentitySequences(target);
        return new Result(copied);
    }

    private static long copyTable(Connection source, Connection target, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Integer> targetTypes = new ArrayList<>();
        try (Statement s = target.createStatement();
             ResultSet shape = s.executeQuery("SELECT * FROM " + table + " WHERE false")) {
            ResultSetMetaData meta = shape.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
                targetTypes.add(meta.getColumnType(i));
            }
        }
        String names = String.join(", ", columns);
        String marks = String.join(", ", columns.stream().map(c -> "?").toList());
        long rows = 0;
        try (Statement select = source.createStatement();
             ResultSet row = select.executeQuery("SELECT " + names + " FROM " + table);
             PreparedStatement insert = target.prepareStatement(
                     "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
            while (row.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    bind(insert, i + 1, row.getObject(i + 1), targetTypes.get(i));
                }
                insert.addBatch();
                if (++rows % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return rows;
    }

    /** SQLite hands back Integer, Long, Double, String or byte[]; each goes into the target column as itself. */
    private static void bind(PreparedStatement insert, int index, Object value, int targetType) throws SQLException {
        if (value == null) {
            insert.setNull(index, targetType);
        } else if (value instanceof Integer || value instanceof Long) {
            insert.setLong(index, ((Number) value).longValue());
        } else if (value instanceof String text) {
            insert.setString(index, text);
        } else if (value instanceof byte[] bytes) {
            insert.setBytes(index, bytes);
        } else {
            throw new SQLException("unexpected value type " + value.getClass().getSimpleName() + " in column "
                    + index);
        }
    }

    /** An identity column (admin_events.id) continues after the largest copied id, not at 1. */
    private static void moveIdentitySequences(Connection target) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (Statement s = target.createStatement();
             ResultSet rows = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                     + " WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
            while (rows.next()) {
                identities.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        }
        for (String[] identity : identities) {
            try (Statement s = target.createStatement();
                 ResultSet ignored = s.executeQuery("SELECT setval(pg_get_serial_sequence('" + identity[0] + "', '"
                         + identity[1] + "'), (SELECT COALESCE(MAX(" + identity[1] + "), 0) + 1 FROM "
                         + identity[0] + "), false)")) {
                // setval's answer is the value set; nothing to read.
            }
        }
    }

    private static Set<String> sourceTables(Connection source) throws SQLException {
        return tables(source, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    }

    private static Set<String> targetTables(Connection target) throws SQLException {
        return tables(target, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
    }

    private static Set<String> tables(Connection c, String sql) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                String name = rows.getString(1);
                if (!OWN_TABLES.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }
}
