package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.LoadedConfig;

/**
 * Where the admin commands find the gateway's files when given {@code --config portcullis.yaml}: the users file
 * ({@code users.file}) and the store ({@code storage.data_dir} or {@code storage.postgresql}), read from the same config the gateway runs with, so
 * an admin does not have to repeat paths that may drift from it.
 */
final class ConfigPaths {
    private ConfigPaths() {
    }

    /**
     * The config's store ({@code storage.data_dir}, or {@code storage.postgresql} with {@code backend: postgresql}),
     * or null after saying why not on {@code err}.
     */
    static StoreLocation store(Path config, PrintWriter err) {
        GatewayConfig loaded = load(config, err);
        if (loaded == null) {
            return null;
        }
        if (loaded.storage() == null) {
            err.println("error: " + config + " has no storage section (storage.data_dir is where the store is)");
            return null;
        }
        return StoreLocation.of(loaded.storage());
    }

    /** The config's {@code users.file}, or null after saying why not on {@code err}. */
    static Path usersFile(Path config, PrintWriter err) {
        GatewayConfig loaded = load(config, err);
        if (loaded == null) {
            return null;
        }
        if (loaded.users() == null) {
            err.println("error: " + config + " has no users section (users.file is where the users are)");
            return null;
        }
        return loaded.users().file();
    }

    private static GatewayConfig load(Path config, PrintWriter err) {
        LoadedConfig loaded = ConfigLoading.loadOrReport(config, err);
        return loaded == null ? null : loaded.config();
    }

    /** Exactly one of {@code direct} (named {@code option}) and {@code config}; null after saying what is wrong. */
    static Boolean useConfig(Path direct, String option, Path config, PrintWriter err) {
        if ((direct == null) == (config == null)) {
            err.println("error: give " + option + " or --config FILE (the gateway's config), exactly one");
            return null;
        }
        return config != null;
    }
}
