package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.portcullis.storage.Database;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.StorageException;

/**
 * The {@code --data-dir} check shared by the commands that work on the gateway's store: they open an existing
 * database only, so a mistyped directory is reported instead of a new empty store being created.
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

    /** Like {@link #withExistingStore(Path, PrintWriter, StoreWork)} on the store {@code --data-dir}/{@code --config} name. */
    static int withExistingStore(StoreOptions store, PrintWriter err, StoreWork work) {
        Path dataDir = store.resolve(err);
        return dataDir == null ? EXIT_BAD_INPUT : withExistingStore(dataDir, err, work);
    }

    /**
     * Opens the existing store in {@code dataDir}, runs {@code work} and closes the store. A missing database is
     * {@link #EXIT_BAD_INPUT}; a store that fails, while opening or during the work, is {@link #EXIT_STORE_ERROR},
     * each said on {@code err}.
     */
    static int withExistingStore(Path dataDir, PrintWriter err, StoreWork work) {
        if (reportMissingDatabase(dataDir, err)) {
            return EXIT_BAD_INPUT;
        }
        try (Database database = EmbeddedDatabase.openExisting(dataDir)) {
            return work.run(database);
        } catch (StorageException e) {
            err.println("error: " + e.getMessage());
            return EXIT_STORE_ERROR;
        }
    }

    /** True (after saying so on {@code err}) when {@code dataDir} holds no gateway database. */
    static boolean reportMissingDatabase(Path dataDir, PrintWriter err) {
        if (Files.isRegularFile(dataDir.resolve(EmbeddedDatabase.FILE_NAME))) {
            return false;
        }
        err.println("error: no " + EmbeddedDatabase.FILE_NAME + " in " + dataDir
                + " (is it the gateway's storage.data_dir?)");
        return true;
    }
}
