package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir DIR} or {@code --config FILE}: the store a command works on, given directly (a SQLite store) or
 * read from the gateway's config: {@code storage.data_dir}, or with {@code storage.backend: postgresql} the shared
 * database of {@code storage.postgresql} ({@link StoreLocation}).
 */
final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The gateway's storage.data_dir (a SQLite store; a PostgreSQL store needs --config).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The gateway's config: its store is used (storage.data_dir, or storage.postgresql with"
                    + " storage.backend: postgresql), instead of --data-dir.")
    Path config;

    /** The store, or null after saying what is wrong on {@code err}. */
    StoreLocation resolve(PrintWriter err) {
        Boolean fromConfig = ConfigPaths.useConfig(dataDir, "--data-dir DIR", config, err);
        if (fromConfig == null) {
            return null;
        }
        return fromConfig ? ConfigPaths.store(config, err) : new StoreLocation.Embedded(dataDir);
    }
}
