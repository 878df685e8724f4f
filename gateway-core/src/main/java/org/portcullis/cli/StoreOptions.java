package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir DIR} or {@code --config FILE}: the store a command works on, given directly or read from the
 * gateway's config ({@code storage.data_dir}).
 */
final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "The gateway's storage.data_dir.")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The gateway's config: its storage.data_dir is used (instead of --data-dir).")
    Path config;

    /** The data directory, or null after saying what is wrong on {@code err}. */
    Path resolve(PrintWriter err) {
        Boolean fromConfig = ConfigPaths.useConfig(dataDir, "--data-dir DIR", config, err);
        if (fromConfig == null) {
            return null;
        }
        return fromConfig ? ConfigPaths.dataDir(config, err) : dataDir;
    }
}
