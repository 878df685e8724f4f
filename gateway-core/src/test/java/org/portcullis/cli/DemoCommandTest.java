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
 * promises (the app needs a sign-in, {@code /admin} two factors, the health check nothing, everything else is
 * denied), and the gateway with that config in front of the demo app signs the demo user in and serves it.
 */
class DemoCommandTest {
    static final String APP_TITLE = "Riverside Community Care \u2014 Records";

    @TempDir
    Path dir;

    private String password;

    private Path writeDemoConfig(int port, int upstreamPort) throws Exception {
        password = DemoSignIn.prepare(dir, new java.security.SecureRandom());
        Path file = dir.resolve("portcullis-demo.yaml");
        Files.writeString(file, DemoCommand.demoConfig(port, upstreamPort, dir));
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
        // 1: the demo app needs a sign-in
        "GET, http://localhost:8080/, 1, 'challenge (sign-in: password only)', records-demo",
        // 2: also deep inside it
        "GET, http://localhost:8080/patients/RC-0001, 1, 'challenge (sign-in: password only)', records-demo",
        // 3: the health check, before the admin rule and the app rule
        "HEAD, http://localhost:8080/healthz, 0, 'allow (bypass', health-check",
        // 4: the admin area needs a sign-in with two factors
        "GET, http://localhost:8080/admin/x, 1, 'challenge (sign-in: password, then a second factor: totp, webauthn or a recovery code)', admin-area",
        // 5: the admin rule has no hosts, so the policy alone challenges (the running gateway answers 404 first:
        //    the demo has no route for 127.0.0.1)
        "GET, http://127.0.0.1:8080/admin, 1, 'challenge (sign-in: password, then a second factor: totp, webauthn or a recovery code)', admin-area",
        // 6: any other host: default deny
        "GET, http://elsewhere.test:8080/, 1, 'deny (', default_policy",
    })
    void policyCheckOnTheDemoConfig(String method, String url, int exitCode, String decision, String rule)
            throws Exception {
        Path file = writeDemoConfig(8080, 9000);

        Run run = ConfigValidateCommandTest.run("policy", "check", "--config", file.toString(), "--url", url,
                "--method", method, "--ip", "127.0.0.1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        String route = url.startsWith("http://localhost:") ? "care-records"
                : "none (no route serves this host and path: the gateway answers 404)";
        assertThat(run.out()).startsWith("route:    " + route + System.lineSeparator() + "decision: " + decision)
                .contains(System.lineSeparator() + "rule:     " + rule + System.lineSeparator());
    }

    @Test
    void theDemoUserSignsInAndReachesTheAppButNotTheAdminArea() throws Exception {
        int port = RunCommandTest.freePort();
        try (DemoUpstream app = DemoUpstream.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            LoadedConfig loaded = new ConfigLoader().load(writeDemoConfig(port, app.port()));
            try (GatewayServer gateway = GatewayServer.start(loaded.config(), Clock.systemUTC())) {
                String host = "Host: localhost:" + port + "\r\n";
                String navigate = "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\n";
                RawResponse home = RawHttpClient.exchange(port, "GET / HTTP/1.1\r\n" + host + navigate + "\r\n");
                assertThat(home.status()).isEqualTo(302);
                assertThat(home.header("Location")).isEqualTo("http://localhost:" + port
                        + "/.portcullis/login?rd=http%3A%2F%2Flocalhost%3A" + port + "%2F");

                RawResponse form = RawHttpClient.exchange(port, "GET /.portcullis/login HTTP/1.1\r\n" + host
                        + "\r\n");
                assertThat(form.bodyText()).contains("Riverside Community Care");
                String token = form.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
                String csrfCookie = form.header("Set-Cookie").substring(0, form.header("Set-Cookie").indexOf(';'));
                String body = "username=demo&password=" + password + "&csrf=" + token + "&rd=%2F";
                RawResponse signedIn = RawHttpClient.exchange(port, "POST /.portcullis/login HTTP/1.1\r\n" + host
                        + "Origin: http://localhost:" + port + "\r\nCookie: " + csrfCookie + "\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body);
                assertThat(signedIn.status()).as(signedIn.bodyText()).isEqualTo(303);
                String session = signedIn.headers("Set-Cookie").stream()
                        .filter(c -> c.startsWith("__Host-portcullis=")).findFirst().orElseThrow();
                String cookie = "Cookie: " + session.substring(0, session.indexOf(';')) + "\r\n";

                RawResponse records = RawHttpClient.exchange(port, "GET / HTTP/1.1\r\n" + host + cookie + "\r\n");
                assertThat(records.status()).isEqualTo(200);
                assertThat(records.bodyText()).contains(APP_TITLE);

                RawResponse admin = RawHttpClient.exchange(port, "GET /admin HTTP/1.1\r\n" + host + cookie
                        + navigate + "\r\n");
                assertThat(admin.status()).as("a second factor is needed").isEqualTo(302);
                assertThat(admin.header("Location")).contains("/.portcullis/second-factor");
                assertThat(admin.bodyText()).doesNotContain(APP_TITLE);

                RawResponse byAddress = RawHttpClient.exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\n" + cookie + "\r\n");
                assertThat(byAddress.status()).as("no route for the address").isEqualTo(404);

                RawResponse health = RawHttpClient.exchange(port, "GET /healthz HTTP/1.1\r\n" + host + "\r\n");
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.bodyText()).isEqualTo("ok");
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
