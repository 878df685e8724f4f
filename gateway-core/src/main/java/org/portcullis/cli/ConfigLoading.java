package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.LoadedConfig;

/** Loads a config for a command, printing every error and warning in the one documented format. */
final class ConfigLoading {
    private ConfigLoading() {
    }

    /** @return the config, or null after printing its errors to {@code err} */
    static LoadedConfig loadOrReport(Path file, PrintWriter err) {
        return loadOrReport(file, err, java.time.Clock.systemUTC());
    }

    /** Like {@link #loadOrReport(Path, PrintWriter)}, with exception review dates checked against {@code clock}. */
    static LoadedConfig loadOrReport(Path file, PrintWriter err, java.time.Clock clock) {
        try {
            LoadedConfig loaded = new ConfigLoader(System.getenv(), clock).load(file);
            for (ConfigProblem warning : loaded.warnings()) {
                err.println("warning: " + warning);
            }
            err.flush();
            return loaded;
        } catch (ConfigException e) {
            for (ConfigProblem error : e.errors()) {
                err.println(error);
            }
            for (ConfigProblem warning : e.warnings()) {
                err.println("warning: " + warning);
            }
            err.println(file + ": " + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors"));
            err.flush();
            return null;
        }
    }
}
