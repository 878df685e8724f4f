package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.portcullis.storage.EmbeddedDatabase;

/**
 * The {@code --data-dir} check shared by the commands that work on the gateway's store: they open an existing
 * database only, so a mistyped directory is reported instead of a new empty store being created.
 */
final class StoreArgument {
    private StoreArgument() {
    }

    /** True (after saying so on {@code err}) when {@code dataDir} holds no gateway database. */
    static boolean reportMissingDatabase(Path dataDir, PrintWriter err) {
        if (Files.isRegularFile(dataDir.resolve(EmbeddedDatabase.FILE_NAME))) {
            return false;
        }
        err.println("error: no " + EmbeddedDatabase.FILE_NAME + " in " + dataDir
                + " (is --data-dir the gateway's storage.data_dir?)");
        return true;
    }
}
