package org.portcullis.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The gateway's one local database: the SQLite file {@value #FILE_NAME} under {@code storage.data_dir}. It keeps
 * sessions (and, in later issues, every other piece of state), so a restart logs nobody out and loses nothing.
 *
 * <h2>Durability</h2>
 * WAL journal mode (readers never wait for the writer) with {@code synchronous=FULL}: a transaction that
 * {@link #write} returned from is on disk, also after a power cut. A busy timeout of {@value #BUSY_TIMEOUT_MILLIS} ms
 * lets a second process (the {@code portcullis sessions} CLI next to a running gateway) wait for the write lock
 * instead of failing at once.
 *
 * <h2>Single writer</h2>
 * SQLite has one writer per file. This class keeps exactly one write connection behind a lock, and every write
 * transaction starts with {@code BEGIN IMMEDIATE}, so it takes the file's write lock before it reads anything and
 * cannot dead-lock against another process upgrading a read lock. Reads use a small pool of separate connections
 * and never wait for writes.
 *
 * <h2>Threads</h2>
 * Every method blocks (disk, locks). Never call them on a Netty event loop: submit the work to a
 * {@link StorageExecutor}, whose bounded queue turns overload into a refusal instead of a stalled proxy.
 *
 * <h2>Permissions</h2>
 * The data directory is created {@code rwx------} and the file {@code rw-------}; SQLite gives its {@code -wal} and
 * {@code -shm} files the mode of the database file. An existing directory or file that group or others may access is
 * refused rather than silently changed: the admin decides (chmod), the gateway does not start on a readable store.
 *
 * <h2>Schema</h2>
 * {@link StorageSchema#MIGRATIONS} are applied in order at open, each in its own transaction, and recorded in
 * {@code schema_migrations}. A file with a newer schema than this release knows is refused (no silent downgrade).
 */
public final class EmbeddedDatabase implements Database {

    public static final String FILE_NAME = "portcullis.db";
    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** Two per storage pool (session reads, portal work): a portal flood never holds the session reads' connections. */
    static final int DEFAULT_READERS = 4;

    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<Connection> readerConnections;
    private final BlockingQueue<Connection> idleReaders;
    private final int schemaVersion;
    private volatile boolean closed;
    private volatile StoreObserver observer = StoreObserver.NONE;

    private EmbeddedDatabase(Path file, Connection writer, List<Connection> readers, int schemaVersion) {
        this.file = file;
        this.writer = writer;
        this.readerConnections = List.copyOf(readers);
        this.idleReaders = new ArrayBlockingQueue<>(readers.size(), false, readers);
        this.schemaVersion = schemaVersion;
    }

    /** Opens (creating if needed) {@value #FILE_NAME} under {@code dataDir} and brings its schema up to date. */
    public static EmbeddedDatabase open(Path dataDir) {
        return open(dataDir, StorageSchema.MIGRATIONS, true);
    }

    /**
     * Opens an existing database only, for admin commands: a mistyped {@code --data-dir} must not quietly create an
     * empty store and report "0 sessions".
     */
    public static EmbeddedDatabase openExisting(Path dataDir) {
        return open(dataDir, StorageSchema.MIGRATIONS, false);
    }

    static EmbeddedDatabase open(Path dataDir, List<Migration> migrations, boolean create) {
        Objects.requireNonNull(dataDir, "dataDir");
        rejectGapsIn(migrations);
        Path file = dataDir.resolve(FILE_NAME);
        if (create) {
            prepareDirectory(dataDir);
            prepareFile(file);
        } else if (!Files.isRegularFile(file)) {
            throw new StorageException("no database " + file + " (is --data-dir the gateway's storage.data_dir?)");
        }
        rejectGroupOrOthers(dataDir, "data directory", "700");
        rejectGroupOrOthers(file, "database file", "600");
        List<Connection> opened = new ArrayList<>();
        try {
            Connection writer = connect(file);
            opened.add(writer);
            int version = migrate(writer, migrations);
            List<Connection> readers = new ArrayList<>();
            for (int i = 0; i < DEFAULT_READERS; i++) {
                Connection reader = connect(file);
                opened.add(reader);
                readers.add(reader);
            }
            return new EmbeddedDatabase(file, writer, readers, version);
        } catch (SQLException | RuntimeException e) {
            closeAll(opened);
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    /** The schema version after migrations. */
    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    /**
     * Runs {@code work} on a read connection (auto-commit: each statement sees a consistent snapshot). Waits at most
     * the busy timeout for a free connection.
     */
    @Override
    public <T> T read(SqlWork<T> work) {
        long start = System.nanoTime();
        boolean failed = true;
        try {
            T result = readObserved(work);
            failed = false;
            return result;
        } finally {
            observer.done(false, System.nanoTime() - start, failed);
        }
    }

    @Override
    public void observe(StoreObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    private <T> T readObserved(SqlWork<T> work) {
        rejectClosed();
        Connection connection;
        try {
            connection = idleReaders.poll(BUSY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a read connection", e);
        }
        if (connection == null) {
            throw new StorageException("no read connection free within " + BUSY_TIMEOUT_MILLIS + " ms");
        }
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException("read failed: " + e.getMessage(), e);
        } finally {
            idleReaders.add(connection);
        }
    }

    /**
     * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE} … {@code COMMIT}); any exception rolls it
     * back and is rethrown (SQL errors as {@link StorageException}). Writers of this process queue on a lock; another
     * process holding the file's write lock is waited for up to the busy timeout.
     */
    @Override
    public <T> T write(SqlWork<T> work) {
        long start = System.nanoTime();
        boolean failed = true;
        try {
            T result = writeObserved(work);
            failed = false;
            return result;
        } finally {
            observer.done(true, System.nanoTime() - start, failed);
        }
    }

    private <T> T writeObserved(SqlWork<T> work) {
        rejectClosed();
        lockWriter();
        try {
            rejectClosed();
            return inTransaction(writer, work);
        } catch (SQLException e) {
            throw new StorageException("write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Takes the write connection's lock, waiting at most the busy timeout. */
    private void lockWriter() {
        try {
            if (!writeLock.tryLock(BUSY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new StorageException("write lock not free within " + BUSY_TIMEOUT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the write lock", e);
        }
    }

    /**
     * SQLite's {@code PRAGMA data_version} on the write connection: it changes when any other connection committed
     * to the file since the last call. Every write of this process goes through that one connection and the read
     * connections never commit, so a change means another process wrote (an admin's {@code portcullis sessions
     * revoke} or {@code users reset-mfa}); the session cache's keeper polls it (SessionCacheKeeper).
     */
    @Override
    public long writesByOthersVersion() {
        rejectClosed();
        lockWriter();
        try (Statement statement = writer.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA data_version")) {
            rejectClosed();
            if (!row.next()) {
                throw new StorageException("PRAGMA data_version returned no row");
            }
            return row.getLong(1);
        } catch (SQLException e) {
            throw new StorageException("data_version failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            List<Connection> all = new ArrayList<>(readerConnections);
            all.add(writer);
            closeAll(all);
        } finally {
            writeLock.unlock();
        }
    }

    private void rejectClosed() {
        if (closed) {
            throw new StorageException("EmbeddedDatabase: " + file + " is closed");
        }
    }

    private static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
        // Auto-commit stays on and the transaction is spelt out: with auto-commit off the driver would open the next
        // transaction right after each commit and so hold the file's write lock between writes.
        try (Statement begin = connection.createStatement()) {
            begin.execute("BEGIN IMMEDIATE");
        }
        boolean committed = false;
        try {
            T result = work.run(connection);
            try (Statement commit = connection.createStatement()) {
                commit.execute("COMMIT");
            }
            committed = true;
            return result;
        } finally {
            if (!committed) {
                rollbackQuietly(connection);
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try (Statement rollback = connection.createStatement()) {
            rollback.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // Nothing to undo: the transaction never began or SQLite already rolled it back.
        }
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static int migrate(Connection writer, List<Migration> migrations) throws SQLException {
        inTransaction(writer, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        + " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
            }
            return null;
        });
        int current = currentVersion(writer);
        int known = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
        if (current > known) {
            throw new StorageException("database schema version " + current + " is newer than this Portcullis knows ("
                    + known + "); refusing to use it");
        }
        for (Migration migration : migrations) {
            if (migration.version() <= current) {
                continue;
            }
            inTransaction(writer, c -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : migration.statements()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
                    insert.setInt(1, migration.version());
                    insert.setString(2, migration.description());
                    insert.setString(3, Instant.now().toString());
                    insert.executeUpdate();
                }
                return null;
            });
            current = migration.version();
        }
        return current;
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static void rejectGapsIn(List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("EmbeddedDatabase: migration #" + (i + 1) + " has version "
                        + migrations.get(i).version() + "; versions must be 1, 2, 3, … without gaps");
            }
        }
    }

    private static void prepareDirectory(Path dataDir) {
        try {
            if (!Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            }
        } catch (UnsupportedOperationException e) {
            throw new StorageException("data directory " + dataDir + " is not on a POSIX file system", e);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dataDir)) {
            throw new StorageException("data directory " + dataDir + " is not a directory");
        }
    }

    private static void prepareFile(Path file) {
        try {
            // Created by us with the final mode before SQLite opens it, so it is never readable by others, not even
            // for the moment between SQLite creating it and a chmod.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
        } catch (FileAlreadyExistsException e) {
            // An existing store: its mode is checked next.
        } catch (UnsupportedOperationException e) {
            throw new StorageException("database file " + file + " is not on a POSIX file system", e);
        } catch (IOException e) {
            throw new StorageException("cannot create database file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void rejectGroupOrOthers(Path path, String what, String chmod) {
        Set<PosixFilePermission> mode;
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            if (view == null) {
                throw new StorageException(what + " " + path + " is not on a POSIX file system");
            }
            mode = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new StorageException("cannot read the permissions of " + what + " " + path + ": " + e.getMessage(),
                    e);
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(mode);
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw new StorageException(what + " " + path + " has mode " + PosixFilePermissions.toString(mode)
                    + ": group and others must have no access (chmod " + chmod + ")");
        }
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing on the way out: nothing left to protect.
            }
        }
    }
}
