package org.portcullis.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.config.StorageConfig;
import org.portcullis.storage.Database;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.PostgresDatabase;

/**
 * The store an admin command works on, as the gateway itself would open it: the SQLite file in a data directory
 * ({@code --data-dir}, or a config with {@code storage.backend: sqlite}), or the PostgreSQL database of a config with
 * {@code storage.backend: postgresql} (issue 18). Commands open only a store that exists: a mistyped directory or
 * database is reported, never replaced by a new empty store the gateway does not read.
 */
sealed interface StoreLocation {

    /** Why there is no store here, said before connecting (a missing SQLite file); empty when it may be opened. */
    Optional<String> missing();

    /** Opens the existing store; a {@code StorageException} says why not. */
    Database openExisting();

    /** Where the store is, for messages (a directory, or a PostgreSQL URL without credentials). */
    String describe();

    /** The store {@code storage} names: its backend decides. */
    static StoreLocation of(StorageConfig storage) {
        return storage.postgresql() != null ? new Shared(storage.postgresql()) : new Embedded(storage.dataDir());
    }

    /** The SQLite file {@code gateway.db} in {@code dataDir}. */
    record Embedded(Path dataDir) implements StoreLocation {
        public Embedded {
            Objects.requireNonNull(dataDir, "dataDir");
        }

        @Override
        public Optional<String> missing() {
            return Files.isRegularFile(dataDir.resolve(EmbeddedDatabase.FILE_NAME)) ? Optional.empty()
                    : Optional.of("no " + EmbeddedDatabase.FILE_NAME + " in " + dataDir
                            + " (is it the gateway's storage.data_dir?)");
        }

        @Override
        public Database openExisting() {
            return EmbeddedDatabase.openExisting(dataDir);
        }

        @Override
        public String describe() {
            return dataDir.toString();
        }
    }

    /** The PostgreSQL database every node of a cluster shares ({@code storage.postgresql}). */
    record Shared(PostgresqlConfig postgresql) implements StoreLocation {
        public Shared {
            Objects.requireNonNull(postgresql, "postgresql");
        }

        @Override
        public Optional<String> missing() {
            return Optional.empty(); // known only once connected: openExisting refuses a database without the schema
        }

        @Override
        public Database openExisting() {
            return PostgresDatabase.openExisting(postgresql);
        }

        @Override
        public String describe() {
            return postgresql.describe();
        }
    }
}
