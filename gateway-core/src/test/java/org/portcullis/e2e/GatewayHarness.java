package org.portcullis.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.LoadedConfig;
import org.portcullis.server.ConfigReloader;
import org.portcullis.server.GatewayServer;

/**
 * The real gateway on 127.0.0.1, started from a real YAML file in a temp folder, as an admin would run it. The
 * placeholders {@code @PORT@} (the gateway's port) and {@code @UPSTREAM@} ({@code 127.0.0.1:port} of the upstream) are
 * filled in.
 */
final class GatewayHarness implements AutoCloseable {
    private final GatewayServer server;
    private final Path configFile;
    private final int port;
    private final ConfigReloader reloader;

    private GatewayHarness(GatewayServer server, Path configFile, int port) {
        this.server = server;
        this.configFile = configFile;
        this.port = port;
        this.reloader = new ConfigReloader(configFile, server);
    }

    static GatewayHarness start(Path dir, String yamlTemplate, int upstreamPort) throws Exception {
        int port = freePort();
        Path file = dir.resolve("portcullis.yaml");
        Files.writeString(file, fill(yamlTemplate, port, upstreamPort), StandardCharsets.UTF_8);
        LoadedConfig loaded = new ConfigLoader().load(file);
        GatewayServer server = GatewayServer.start(loaded.config(), Clock.systemUTC());
        return new GatewayHarness(server, file, port);
    }

    /** A minimal config: one plain listener, routes {@code app.test} to the upstream, and {@code policy}. */
    static String simpleConfig(String limitsYaml, String accessControlYaml) {
        return """
                server:
                  listeners:
                    - address: 127.0.0.1:@PORT@
                  trusted_proxies: [127.0.0.2/32]
                """ + limitsYaml + """
                routes:
                  - name: app
                    host: app.test
                    upstream: http://@UPSTREAM@
                    upstream_timeout: 2s
                """ + accessControlYaml;
    }

    static final String BYPASS_ALL = """
            access_control:
              default_policy: bypass
            """;

    /** {@link #simpleConfig} with no limits and every request bypassed: only the front door and the router act. */
    static final String SIMPLE_BYPASS_ALL = simpleConfig("", BYPASS_ALL);

    static String fill(String template, int port, int upstreamPort) {
        return template.replace("@PORT@", Integer.toString(port)).replace("@UPSTREAM@", "127.0.0.1:" + upstreamPort);
    }

    void rewriteConfig(String yamlTemplate, int upstreamPort) throws IOException {
        Path tmp = configFile.resolveSibling("portcullis.yaml.tmp");
        Files.writeString(tmp, fill(yamlTemplate, port, upstreamPort), StandardCharsets.UTF_8);
        Files.move(tmp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    ConfigReloader reloader() {
        return reloader;
    }

    int port() {
        return port;
    }

    GatewayServer server() {
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        reloader.close();
        server.close();
    }
}
