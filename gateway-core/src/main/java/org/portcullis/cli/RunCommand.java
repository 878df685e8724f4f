package org.portcullis.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.portcullis.config.LoadedConfig;
import org.portcullis.server.ConfigReloader;
import org.portcullis.server.GatewayServer;
import org.portcullis.storage.StorageExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis run --config FILE}: starts the gateway and keeps it running until SIGTERM/SIGINT, which stop it
 * gracefully ({@link GracefulStop}, exit 0); reloads the config on change and on SIGHUP. Exit 1 when the config is
 * invalid, 2 when it cannot start (port in use, bad key).
 */
@Command(name = "run", description = "Start the gateway.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML config file.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        LoadedConfig loaded = ConfigLoading.loadOrReport(config, spec.commandLine().getErr());
        if (loaded == null) {
            return 1;
        }
        GatewayServer server;
        try {
            server = GatewayServer.start(loaded.config(), Clock.systemUTC(), new StorageExecutor());
        } catch (Exception e) {
            spec.commandLine().getErr().println("portcullis: cannot start: " + e.getMessage());
            return 2;
        }
        ConfigReloader reloader = new ConfigReloader(config, server);
        reloader.start();
        GracefulStop stop = new GracefulStop(server, reloader, loaded.config().server().shutdownGrace());
        stop.install();
        spec.commandLine().getOut().println("Portcullis is running on " + server.boundAddresses());
        server.operations().adminAddress().ifPresent(admin -> spec.commandLine().getOut().println(
                "Admin listener (metrics, health) on " + admin));
        spec.commandLine().getOut().flush();
        stop.await();
        return 0;
    }
}
