package org.portcullis.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.portcullis.config.PostgresqlConfig;

/**
 * {@link Database} on a PostgreSQL server shared by every gateway node ({@code storage.backend: postgresql},
 * docs/cluster.md). The stores run the same SQL as on SQLite; this class provides the same guarantees.
 *
 * <h2>One writer at a time, across the cluster</h2>
 * Each {@link #write} transaction first takes the transaction-scoped advisory lock {@link #WRITE_LOCK_KEY}
 * ({@code pg_advisory_xact_lock}), then runs at READ COMMITTED: every statement after the lock sees every write that
 * committed before, and no other write can commit until this one ends. That is exactly SQLite's
 * {@code BEGIN IMMEDIATE}, which the stores' read-then-write steps rest on (a TOTP step taken once, an invitation or
 * recovery code redeemed once, a failure counted by every node, a session compare-and-set). The lock is released by
 * commit, rollback or a dropped connection, so a node that dies mid-write blocks nobody. The price is the one the
 * embedded store already pays: writes are serialised (reads are not).
 *
 * <h2>Migrations</h2>
 * {@link StorageSchema#MIGRATIONS}, translated by {@link PostgresDialect}, are applied at open in one transaction
 * under the same advisory lock: whichever node starts first migrates, the others wait and then find the schema
 * current. A database with a newer schema than this release knows is refused.
 *
 * <h2>Writes by others</h2>
 * The session cache asks whether anyone else wrote ({@link #writesByOthersVersion}). Every write increments the one
 * row of {@code storage_writes} under the lock; a counter that moved by more than this node's own writes means
 * another node (or a CLI) wrote. This is polling, like SQLite's {@code PRAGMA data_version}; a push channel
 * (Redis, {@code LISTEN/NOTIFY}) can replace or complement it by publishing {@code SessionInvalidation}s.
 *
 * <h2>Failure</h2>
 * An unreachable server, a full pool ({@code connect_timeout}), a slow statement or lock wait
 * ({@code query_timeout}) each end in a {@link StorageException}: the caller refuses, nothing is assumed. HikariCP
 * drops broken connections and opens new ones when the server is back, so the node recovers without a restart.
 */
public final class PostgresDatabase implements Database {

    /** The advisory lock key that serialises writers: "portcull" in ASCII. */
    static final long WRITE_LOCK_KEY = 0x706f7274_6375_6c6cL;

    private final HikariDataSource pool;
    private volatile StoreObserver observer = StoreObserver.NONE;
    private final String description;
    private final int schemaVersion;
    private final WriteCounter writes = new WriteCounter();

    private PostgresDatabase(HikariDataSource pool, String description, int schemaVersion) {
        this.pool = pool;
        this.description = description;
        this.schemaVersion = schemaVersion;
    }

    /** Connects and brings the schema up to date; throws {@link StorageException} when either fails. */
    public static PostgresDatabase open(PostgresqlConfig config) {
        return open(config, StorageSchema.MIGRATIONS);
    }

    /**
     * Like {@link #open(PostgresqlConfig)}, for the admin commands: a database in which no gateway ever created its
     * schema is refused (a {@link StorageException} naming it), instead of being given an empty store the gateway
     * does not use. A schema made by an older release is brought up to date, as a node's start would.
     */
    public static PostgresDatabase openExisting(PostgresqlConfig config) {
        return open(config, StorageSchema.MIGRATIONS, true);
    }

    static PostgresDatabase open(PostgresqlConfig config, List<Migration> migrations) {
        return open(config, migrations, false);
    }

    private static PostgresDatabase open(PostgresqlConfig config, List<Migration> migrations, boolean mustExist) {
        Objects.requireNonNull(config, "config");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari(config));
        } catch (RuntimeException e) {
            throw new StorageException("cannot connect to " + config.describe() + ": " + rootMessage(e), e);
        }
        try {
            if (mustExist && !hasSchema(pool)) {
                throw new StorageException("no gateway store in " + config.describe() + " (no schema_migrations"
                        + " table: is it the database of storage.postgresql, and has a gateway node started on it?)");
            }
            int version = inWriteTransaction(pool, c -> migrate(c, migrations));
            return new PostgresDatabase(pool, config.describe(), version);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("cannot migrate " + config.describe() + ": " + e.getMessage(), e);
        }
    }

    private static HikariConfig hikari(PostgresqlConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("portcullis-postgresql");
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(Math.max(250, config.connectTimeout().toMillis()));
        hikari.setValidationTimeout(Math.max(250, Math.min(config.connectTimeout().toMillis(), 5_000)));
        hikari.setAutoCommit(true);
        // Start-up fails on a server unreachable for connect_timeout (fail closed: no node serves without its store).
        hikari.setInitializationFailTimeout(Math.max(250, config.connectTimeout().toMillis()));
        hikari.setDataSourceProperties(driverProperties(config, "portcullis"));
        return hikari;
    }

    /**
     * The driver settings every connection to {@code config}'s server gets (TLS, timeouts, the statement and lock
     * timeouts), without the credentials; also the fan-out channel's ({@code cluster.PostgresInvalidationChannel}),
     * which keeps connections of its own. {@code applicationName} shows in {@code pg_stat_activity}.
     */
    public static Properties driverProperties(PostgresqlConfig config, String applicationName) {
        Properties driver = new Properties();
        driver.setProperty("sslmode", config.sslMode().yamlName());
        if (config.sslRootCert() != null) {
            driver.setProperty("sslrootcert", config.sslRootCert().toString());
        }
        long connectSeconds = Math.max(1, (config.connectTimeout().toMillis() + 999) / 1000);
        driver.setProperty("connectTimeout", Long.toString(connectSeconds));
        // The log-in (TLS, SCRAM) of a new connection may take longer on a busy host than the TCP connect; a request
        // still waits at most connect_timeout for a connection (Hikari's connectionTimeout above).
        driver.setProperty("loginTimeout", Long.toString(Math.max(10, connectSeconds)));
        // A socket that hangs (server frozen, network cut without RST) is given up a little after the server-side
        // statement timeout would have ended the statement.
        long querySeconds = Math.max(1, (config.queryTimeout().toMillis() + 999) / 1000);
        driver.setProperty("socketTimeout", Long.toString(querySeconds + 5));
        driver.setProperty("tcpKeepAlive", "true");
        driver.setProperty("ApplicationName", applicationName);
        driver.setProperty("options", "-c statement_timeout=" + config.queryTimeout().toMillis()
                + " -c lock_timeout=" + config.queryTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + Math.max(1_000, config.queryTimeout().toMillis() * 2));
        return driver;
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        return onPooledConnection(work, false, "read failed");
    }

    /**
     * Runs {@code work}, whose every change is one atomic statement ({@code DELETE … RETURNING},
     * {@code UPDATE … WHERE NOT spent RETURNING}), on an auto-commit connection: outside the writers' advisory lock and
     * not counted in {@code storage_writes}, so the short-lived rows of a cluster without Redis (challenges, callback
     * codes, remote-access tokens, which no cached state depends on) neither queue behind the durable writes nor make
     * every other node flush its session cache. Failures are {@link StorageException}s: the caller refuses.
     */
    public <T> T atomically(SqlWork<T> work) {
        return onPooledConnection(work, true, "statement failed");
    }

    /** Runs {@code work} on a pooled auto-commit connection, observed as a write or a read. */
    private <T> T onPooledConnection(SqlWork<T> work, boolean write, String failure) {
        long start = System.nanoTime();
        boolean failed = true;
        try (Connection connection = pool.getConnection()) {
            T result = work.run(connection);
            failed = false;
            return result;
        } catch (SQLException e) {
            throw new StorageException(failure + " on " + description + ": " + e.getMessage(), e);
        } finally {
            observer.done(write, System.nanoTime() - start, failed);
        }
    }

    @Override
    public void observe(StoreObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        long start = System.nanoTime();
        boolean failed = true;
        try {
            long[] counter = new long[2];
            T result = inWriteTransaction(pool, c -> {
                try (Statement s = c.createStatement();
                     ResultSet row = s.executeQuery("UPDATE storage_writes SET counter = counter + 1"
                             + " WHERE id = 1 RETURNING counter")) {
                    if (!row.next()) {
                        throw new SQLException("storage_writes has no row");
                    }
                    counter[1] = row.getLong(1);
                    counter[0] = counter[1] - 1;
                }
                return work.run(c);
            });
            writes.own(counter[0], counter[1]);
            failed = false;
            return result;
        } catch (SQLException e) {
            throw new StorageException("write failed on " + description + ": " + e.getMessage(), e);
        } finally {
            observer.done(true, System.nanoTime() - start, failed);
        }
    }

    @Override
    public long writesByOthersVersion() {
        long counter = read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet row = s.executeQuery("SELECT counter FROM storage_writes WHERE id = 1")) {
                if (!row.next()) {
                    throw new SQLException("storage_writes has no row");
                }
                return row.getLong(1);
            }
        });
        return writes.observed(counter);
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * Runs {@code work} in a transaction that holds {@link #WRITE_LOCK_KEY}; rolls back on any exception. Hikari
     * restores auto-commit when the connection goes back to the pool.
     */
    private static <T> T inWriteTransaction(HikariDataSource pool, SqlWork<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            boolean committed = false;
            try {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, WRITE_LOCK_KEY);
                    lock.execute();
                }
                T result = work.run(connection);
                connection.commit();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollbackQuietly(connection);
                }
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the server rolls the transaction back and releases the lock itself.
        }
    }

    private static int migrate(Connection c, List<Migration> migrations) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    + " version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS storage_writes ("
                    + " id BIGINT PRIMARY KEY CHECK (id = 1), counter BIGINT NOT NULL)");
            s.execute("INSERT INTO storage_writes (id, counter) VALUES (1, 0) ON CONFLICT DO NOTHING");
        }
        int current;
        try (Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            current = rows.next() ? rows.getInt(1) : 0;
        }
        int known = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
        if (current > known) {
            throw new StorageException("database schema version " + current + " is newer than this Portcullis knows ("
                    + known + "); refusing to use it");
        }
        for (int i = 0; i < migrations.size(); i++) {
            Migration migration = migrations.get(i);
            if (migration.version() != i + 1) {
                throw new IllegalArgumentException("PostgresDatabase: migration #" + (i + 1) + " has version "
                        + migration.version());
            }
            if (migration.version() <= current) {
                continue;
            }
            try (Statement s = c.createStatement()) {
                for (String sql : migration.statements()) {
                    s.execute(PostgresDialect.ddl(sql));
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, migration.version());
                insert.setString(2, migration.description());
                insert.setString(3, Instant.now().toString());
                insert.executeUpdate();
            }
            current = migration.version();
        }
        return current;
    }

    private static boolean hasSchema(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT to_regclass('schema_migrations') IS NOT NULL")) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * Tells this node's writes from everyone else's on the shared counter. The value returned changes when the
     * counter moved without this node writing; a race between a poll and an own write can only make it change once
     * too often (one needless cache flush), never miss another node's write: the counter only grows, and every value
     * this node adopts as "known" is one it produced itself right after checking the value before it.
     */
    static final class WriteCounter {
        private long known = -1;
        private long othersVersion;

        synchronized void own(long before, long after) {
            if (before != known) {
                othersVersion++;
            }
            known = Math.max(known, after);
        }

        synchronized long observed(long counter) {
            if (counter != known) {
                othersVersion++;
                known = counter;
            }
            return othersVersion;
        }
    }
}
