package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.ConfigValidateCommandTest.Run;
import org.portcullis.config.ConfigLoader;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.server.GatewayServer;

/**
 * The "minimal config" of README.md is one that works: it validates without a warning, and with the steps the README
 * gives (a key, a user, an enrolment code) the gateway started on it signs the user in and sends them on to set up
 * a second factor, instead of the dead end of a sign-in with no portal.
 */
class ReadmeMinimalConfigTest {
    static final Path README = Path.of("..", "README.md");
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    static String minimalConfig() throws Exception {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int intro = 0;
        while (!lines.get(intro).startsWith("A minimal `portcullis.yaml`")) {
            intro++;
        }
        int start = lines.subList(intro, lines.size()).indexOf("```yaml") + intro + 1;
        StringBuilder yaml = new StringBuilder();
        for (int i = start; !lines.get(i).equals("```"); i++) {
            yaml.append(lines.get(i)).append('\n');
        }
        return yaml.toString();
    }

    @Test
    void theReadmesMinimalConfigSignsAUserInAndLeadsToASecondFactor() throws Exception {
        int port = RunCommandTest.freePort();
        try (EchoUpstream app = EchoUpstream.start()) {
            String yaml = minimalConfig().replace("127.0.0.1:8080", "127.0.0.1:" + port)
                    .replace("http://localhost:8080", "http://localhost:" + port)
                    .replace("http://127.0.0.1:9000", "http://127.0.0.1:" + app.port())
                    .replace("/etc/portcullis/storage.key", dir.resolve("storage.key").toString())
                    // the example's exception dates, moved to today so the example never lapses under the test
                    .replace("2026-12-01", java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString())
                    .replace("2027-11-30", java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusMonths(6).toString());
            Path config = Files.writeString(dir.resolve("portcullis.yaml"), yaml);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(dir.resolve("storage.key"), Base64.getEncoder().encodeToString(key) + "\n");
            String hash = new PasswordHasher(new Argon2Parameters(19456, 2, 1)).hash(PASSWORD.toCharArray());
            Files.writeString(dir.resolve("users.yaml"), "users:\n  - username: alice\n    password: \"" + hash
                    + "\"\n");

            Run validate = ConfigValidateCommandTest.run("config", "validate", config.toString());
            assertThat(validate.exitCode()).as(validate.err()).isZero();
            assertThat(validate.err()).isEmpty();
            assertThat(validate.out()).contains("0 warnings");

            try (GatewayServer gateway = GatewayServer.start(new ConfigLoader().load(config).config(),
                    Clock.systemUTC())) {
                Run invite = ConfigValidateCommandTest.run("users", "invite", "alice", "--config", config.toString());
                assertThat(invite.exitCode()).as(invite.err()).isZero();
                assertThat(invite.out()).contains("enrolment code for 'alice': ");

                String host = "Host: localhost:" + port + "\r\n";
                RawResponse home = RawHttpClient.exchange(port, "GET / HTTP/1.1\r\n" + host
                        + "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\n\r\n");
                assertThat(home.status()).isEqualTo(302);
                assertThat(home.header("Location")).startsWith("http://localhost:" + port + "/.portcullis/login");
                RawResponse form = RawHttpClient.exchange(port, "GET /.portcullis/login HTTP/1.1\r\n" + host
                        + "\r\n");
                assertThat(form.status()).isEqualTo(200);
                String token = form.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
                String csrf = form.header("Set-Cookie").substring(0, form.header("Set-Cookie").indexOf(';'));
                String body = "username=alice&password=correct+horse+battery&csrf=" + token + "&rd=%2F";
                RawResponse signedIn = RawHttpClient.exchange(port, "POST /.portcullis/login HTTP/1.1\r\n" + host
                        + "Origin: http://localhost:" + port + "\r\nCookie: " + csrf + "\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body);
                assertThat(signedIn.status()).as(signedIn.bodyText()).isEqualTo(303);
                String session = signedIn.headers("Set-Cookie").stream()
                        .filter(c -> c.startsWith("__Host-portcullis=")).findFirst().orElseThrow();
                RawResponse app2 = RawHttpClient.exchange(port, "GET / HTTP/1.1\r\n" + host + "Cookie: "
                        + session.substring(0, session.indexOf(';')) + "\r\nAccept: text/html\r\n"
                        + "Sec-Fetch-Mode: navigate\r\n\r\n");
                assertThat(app2.status()).isEqualTo(302);
                assertThat(app2.header("Location")).as("on to the second factor: set one up")
                        .contains("/.portcullis/second-factor");
            }
        }
    }
}
