package org.portcullis.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.portcullis.config.LoadedConfig;
import org.portcullis.demo.DemoUpstream;
import org.portcullis.server.ConfigReloader;
import org.portcullis.server.GatewayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis demo}: the gateway on localhost in front of a built-in legacy care-records app, with a policy
 * that shows a bypass rule, a protected admin area and the default deny. The config is written to
 * {@code demo-data/portcullis-demo.yaml} so a newcomer can edit it and watch the gateway reload it.
 */
@Command(name = "demo", description = "Run the gateway on localhost in front of a built-in demo app.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "demo-data", description = "Where the demo config is written.")
    Path dataDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 1 || port > 65535) {
            spec.commandLine().getErr().println("portcullis demo: --port must be from 1 to 65535 but is " + port);
            return 2;
        }
        DemoUpstream upstream = DemoUpstream.start(new InetSocketAddress("127.0.0.1", 0));
        Files.createDirectories(dataDir);
        Path configFile = dataDir.resolve("portcullis-demo.yaml");
        Files.writeString(configFile, demoConfig(port, upstream.port()), StandardCharsets.UTF_8);
        LoadedConfig loaded = ConfigLoading.loadOrReport(configFile, spec.commandLine().getErr());
        if (loaded == null) {
            upstream.close();
            return 1;
        }
        GatewayServer server;
        try {
            server = GatewayServer.start(loaded.config(), Clock.systemUTC());
        } catch (Exception e) {
            upstream.close();
            spec.commandLine().getErr().println("portcullis demo: cannot start on 127.0.0.1:" + port + ": "
                    + e.getMessage() + " (try --port)");
            return 2;
        }
        ConfigReloader reloader = new ConfigReloader(configFile, server.runtime());
        reloader.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reloader.close();
            server.close();
            upstream.close();
            stopped.countDown();
        }, "portcullis-demo-shutdown"));
        var out = spec.commandLine().getOut();
        out.println();
        out.println("Portcullis demo is running.");
        out.println("  Open:            http://localhost:" + port + "/");
        out.println("  Protected area:  http://localhost:" + port + "/admin  (two factors required: refused for now)");
        out.println("  Config:          " + configFile.toAbsolutePath() + "  (edit it: the gateway reloads it)");
        out.println("Press Ctrl+C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    static String demoConfig(int gatewayPort, int upstreamPort) {
        return """
                # Portcullis demo config, written by `./portcullis demo`. Edit and save: the gateway reloads it.
                server:
                  listeners:
                    - address: 127.0.0.1:%d
                routes:
                  - name: care-records
                    host: localhost
                    upstream: http://127.0.0.1:%d
                  - name: care-records-by-ip
                    host: 127.0.0.1
                    upstream: http://127.0.0.1:%d
                access_control:
                  default_policy: deny
                  rules:
                    - id: health-check
                      paths: [/healthz]
                      methods: [GET, HEAD]
                      policy: bypass
                    - id: admin-area
                      paths: [/admin/**]
                      policy: two_factor
                    - id: records-demo
                      hosts: [localhost, 127.0.0.1]
                      policy: bypass
                """.formatted(gatewayPort, upstreamPort, upstreamPort);
    }
}
