package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portcullis.cli.ConfigValidateCommandTest.Run;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.LoadedConfig;
import org.portcullis.demo.DemoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.server.GatewayServer;

/**
 * {@code portcullis demo}: the config it writes is one the real loader accepts, its policy does what the demo
 * promises (the app is open, {@code /admin} needs two factors, everything else is denied), and the gateway with that
 * config in front of the demo app serves it.
 */
class DemoCommandTest {
    static final String APP_TITLE = "Riverside Community Care \u2014 Records";

    @TempDir
    Path dir;

    private Path writeDemoConfig(int port, int upstreamPort) throws Exception {
        Path file = dir.resolve("portcullis-demo.yaml");
        Files.writeString(file, DemoCommand.demoConfig(port, upstreamPort));
        return file;
    }

    @Test
    void demoConfigPassesTheRealLoaderWithoutWarnings() throws Exception {
        LoadedConfig loaded = new ConfigLoader().load(writeDemoConfig(8080, 9000));

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().server().listeners()).hasSize(1);
        assertThat(loaded.config().server().listeners().get(0).address().isLoopback()).isTrue();
    }

    @ParameterizedTest(name = "{index}: {0} {1} → exit {2}, {3} by {4}")
    @CsvSource({
        // 1: the demo app itself is open
        "GET, http://localhost:8080/, 0, 'allow (bypass', records-demo",
        // 2: also by address
        "GET, http://127.0.0.1:8080/patients/RC-0001, 0, 'allow (bypass', records-demo",
        // 3: the health check, before the admin rule and the app rule
        "HEAD, http://localhost:8080/healthz, 0, 'allow (bypass', health-check",
        // 4: the admin area needs a sign-in with two factors: refused (401) for now
        "GET, http://localhost:8080/admin/x, 1, 'challenge (sign-in)', admin-area",
        // 5: the admin area from the address too: the rule has no hosts
        "GET, http://127.0.0.1:8080/admin, 1, 'challenge (sign-in)', admin-area",
        // 6: any other host: default deny
        "GET, http://elsewhere.test:8080/, 1, 'deny (', default_policy",
    })
    void policyCheckOnTheDemoConfig(String method, String url, int exitCode, String decision, String rule)
            throws Exception {
        Path file = writeDemoConfig(8080, 9000);

        Run run = ConfigValidateCommandTest.run("policy", "check", "--config", file.toString(), "--url", url,
                "--method", method, "--ip", "127.0.0.1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.out()).startsWith("decision: " + decision)
                .contains(System.lineSeparator() + "rule:     " + rule + System.lineSeparator());
    }

    @Test
    void gatewayWithTheDemoConfigServesTheAppAndRefusesTheAdminArea() throws Exception {
        int port = RunCommandTest.freePort();
        try (DemoUpstream app = DemoUpstream.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            LoadedConfig loaded = new ConfigLoader().load(writeDemoConfig(port, app.port()));
            try (GatewayServer gateway = GatewayServer.start(loaded.config(), Clock.systemUTC())) {
                RawResponse home = RawHttpClient.exchange(port, "GET / HTTP/1.1\r\nHost: localhost:" + port
                        + "\r\n\r\n");
                assertThat(home.status()).isEqualTo(200);
                assertThat(home.bodyText()).contains(APP_TITLE);

                RawResponse byAddress = RawHttpClient.exchange(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:"
                        + port + "\r\n\r\n");
                assertThat(byAddress.status()).isEqualTo(200);
                assertThat(byAddress.bodyText()).isEqualTo("ok");

                RawResponse admin = RawHttpClient.exchange(port, "GET /admin HTTP/1.1\r\nHost: localhost:" + port
                        + "\r\n\r\n");
                assertThat(admin.status()).isEqualTo(401);
                assertThat(admin.bodyText()).contains("Sign-in required").doesNotContain(APP_TITLE);

                RawResponse elsewhere = RawHttpClient.exchange(port, "GET / HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n");
                assertThat(elsewhere.status()).as("no route for another host").isEqualTo(404);
            }
        }
    }

    @ParameterizedTest(name = "--port {0}")
    @CsvSource({"0", "65536", "-1"})
    void portOutOfRangeExitsTwoBeforeStartingAnything(String port) throws Exception {
        Path dataDir = dir.resolve("demo-data");

        Run run = ConfigValidateCommandTest.run("demo", "--port", port, "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("portcullis demo: --port must be from 1 to 65535 but is " + port
                + System.lineSeparator());
        assertThat(Files.exists(dataDir)).as("no config written").isFalse();
    }
}
