package org.portcullis.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis config validate FILE}: checks a config without starting anything. Exit 0 valid, 1 invalid. */
@Command(name = "config", description = "Work with configuration files.",
        subcommands = {ConfigCommand.Validate.class})
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    @Command(name = "validate", description = "Check a config file and report every error at once.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The YAML config file.")
        Path file;

        @Override
        public Integer call() {
            LoadedConfig loaded = ConfigLoading.loadOrReport(file, spec.commandLine().getErr());
            if (loaded == null) {
                return 1;
            }
            GatewayConfig config = loaded.config();
            spec.commandLine().getOut().printf("%s: OK (%s, %s, %s, %s)%n", file,
                    count(config.server().listeners().size(), "listener"), count(config.routes().size(), "route"),
                    count(config.accessControl().rules().size(), "access rule"),
                    count(loaded.warnings().size(), "warning"));
            return 0;
        }
    }
}
