package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.portcullis.storage.Database;
import org.portcullis.storage.StorageException;

/**
 * The store check shared by the commands that work on the gateway's store ({@code --data-dir}, or {@code --config}
 * with either backend): they open an existing store only, so a mistyped directory or database is reported instead of
 * a new empty store being created.
 */
final class StoreArgument {
    /** Exit code of a store that could not be opened or read or written. */
    static final int EXIT_STORE_ERROR = 1;
    /** Exit code of a {@code --data-dir} without a gateway database. */
    static final int EXIT_BAD_INPUT = 2;

    private StoreArgument() {
    }

    /** One command's work on the opened store; returns the exit code. */
    @FunctionalInterface
    interface StoreWork {
        int run(Database database);
    }

    /** Like {@link #withExistingStore(StoreLocation, PrintWriter, StoreWork)} on the store {@code --data-dir}/{@code --config} name. */
    static int withExistingStore(StoreOptions store, PrintWriter err, StoreWork work) {
        StoreLocation location = store.resolve(err);
        return location == null ? EXIT_BAD_INPUT : withExistingStore(location, err, work);
    }

    /** Like {@link #withExistingStore(StoreLocation, PrintWriter, StoreWork)} on the SQLite store in {@code dataDir}. */
    static int withExistingStore(Path dataDir, PrintWriter err, StoreWork work) {
        return withExistingStore(new StoreLocation.Embedded(dataDir), err, work);
    }

    /**
     * Opens the existing store at {@code location}, runs {@code work} and closes the store. A missing SQLite database
     * is {@link #EXIT_BAD_INPUT}; a store that fails, while opening (a PostgreSQL database without the gateway's
     * schema included) or during the work, is {@link #EXIT_STORE_ERROR}, each said on {@code err}.
     */
    static int withExistingStore(StoreLocation location, PrintWriter err, StoreWork work) {
        if (reportMissing(location, err)) {
            return EXIT_BAD_INPUT;
        }
        try (Database database = location.openExisting()) {
            return work.run(database);
        } catch (StorageException e) {
            err.println("error: " + e.getMessage());
            return EXIT_STORE_ERROR;
        }
    }

    /** True (after saying so on {@code err}) when {@code dataDir} holds no gateway database. */
    static boolean reportMissingDatabase(Path dataDir, PrintWriter err) {
        return reportMissing(new StoreLocation.Embedded(dataDir), err);
    }

    /** True (after saying so on {@code err}) when {@code location} is known to hold no gateway store. */
    static boolean reportMissing(StoreLocation location, PrintWriter err) {
        Optional<String> missing = location.missing();
        missing.ifPresent(why -> err.println("error: " + why));
        return missing.isPresent();
    }
}
