package org.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @TempDir
    Path tmp;

    @Test
    void createsDataDirOwnerOnlyAndDatabaseFileOwnerOnly() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase db = EmbeddedDatabase.open(dataDir)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (x INTEGER)");
                    s.execute("INSERT INTO t VALUES (1)");
                }
                return null;
            });
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertThat(mode(db.file())).isEqualTo("rw-------");
            // SQLite gives its side files the database file's mode; a readable WAL would leak every write.
            Path wal = dataDir.resolve(EmbeddedDatabase.FILE_NAME + "-wal");
            assertThat(wal).exists();
            assertThat(mode(wal)).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve(EmbeddedDatabase.FILE_NAME + "-shm"))).isEqualTo("rw-------");
        }
    }

    @Test
    void refusesADataDirOthersCanRead() throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("has mode rwxr-xr-x")
                .hasMessageContaining("chmod 700");
        assertThat(dataDir.resolve(EmbeddedDatabase.FILE_NAME)).exists(); // created 0600, never opened
    }

    @Test
    void refusesADatabaseFileTheGroupCanRead() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedDatabase.open(dataDir).close();
        Files.setPosixFilePermissions(dataDir.resolve(EmbeddedDatabase.FILE_NAME),
                PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("database file")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void everyConnectionUsesWalAndSynchronousFull() {
        try (EmbeddedDatabase db = EmbeddedDatabase.open(tmp.resolve("data"))) {
            assertThat(readPragma(db, "journal_mode")).isEqualTo("wal");
            assertThat(readPragma(db, "synchronous")).isEqualTo("2"); // FULL
            assertThat(readPragma(db, "busy_timeout"))
                    .isEqualTo(String.valueOf(EmbeddedDatabase.BUSY_TIMEOUT_MILLIS));
            assertThat(db.<String>write(c -> pragma(c, "synchronous"))).isEqualTo("2");
        }
    }

    @Test
    void appliesMigrationsOnceAndRecordsThem() {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase db = EmbeddedDatabase.open(dataDir)) {
            assertThat(db.schemaVersion()).isEqualTo(StorageSchema.MIGRATIONS.size());
        }
        // The release's migrations plus one more: only the new one runs on the existing file.
        int next = StorageSchema.MIGRATIONS.size() + 1;
        List<Migration> more = new java.util.ArrayList<>(StorageSchema.MIGRATIONS);
        more.add(new Migration(next, "test table", List.of("CREATE TABLE extra (x INTEGER)")));
        try (EmbeddedDatabase db = EmbeddedDatabase.open(dataDir, more, true)) {
            assertThat(db.schemaVersion()).isEqualTo(next);
            assertThat(readCount(db, "SELECT count(*) FROM schema_migrations")).isEqualTo(next);
            assertThat(readCount(db, "SELECT count(*) FROM extra")).isZero();
        }
    }

    @Test
    void refusesADatabaseFromANewerRelease() {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase db = EmbeddedDatabase.open(dataDir)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')");
                }
                return null;
            });
        }
        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("schema version 99 is newer");
    }

    @Test
    void refusesMigrationsWithGaps() {
        List<Migration> gap = List.of(new Migration(2, "two", List.of("SELECT 1")));
        assertThatThrownBy(() -> EmbeddedDatabase.open(tmp.resolve("data"), gap, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without gaps");
    }

    @Test
    void aFailingWriteLeavesNothingBehind() {
        try (EmbeddedDatabase db = EmbeddedDatabase.open(tmp.resolve("data"))) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)");
                }
                return null;
            });
            assertThatThrownBy(() -> db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO t VALUES (1)");
                    s.execute("INSERT INTO t VALUES (1)"); // primary key violation
                }
                return null;
            })).isInstanceOf(StorageException.class);
            assertThat(readCount(db, "SELECT count(*) FROM t")).isZero();
            // the writer is usable again after the rollback
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO t VALUES (2)");
                }
                return null;
            });
            assertThat(readCount(db, "SELECT count(*) FROM t")).isEqualTo(1);
        }
    }

    @Test
    void openExistingNeverCreatesAnEmptyStore() {
        Path dataDir = tmp.resolve("typo");
        assertThatThrownBy(() -> EmbeddedDatabase.openExisting(dataDir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("no database");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aClosedDatabaseRefusesWork() {
        EmbeddedDatabase db = EmbeddedDatabase.open(tmp.resolve("data"));
        db.close();
        assertThatThrownBy(() -> db.read(c -> 1)).isInstanceOf(StorageException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> db.write(c -> 1)).isInstanceOf(StorageException.class);
    }

    private static String readPragma(EmbeddedDatabase db, String name) {
        return db.read(c -> pragma(c, name));
    }

    private static int readCount(EmbeddedDatabase db, String sql) {
        return db.read(c -> count(c, sql));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static String pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
            r.next();
            return r.getString(1);
        }
    }

    private static int count(java.sql.Connection c, String sql) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }
}
