package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.TestCertificates;

/**
 * {@code ./portcullis run} on a machine where BoringSSL cannot load, imitated in a child JVM with Netty's own switch
 * {@code -Dio.netty.handler.ssl.noOpenSsl=true} (the native library, once loaded, cannot be unloaded in this JVM).
 * {@code openssl} must refuse to start and say why; {@code auto} must say why it falls back and then serve TLS with
 * the JDK's engine.
 */
class TlsProviderUnavailableTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void opensslWithoutBoringSslRefusesToStartAndSaysWhy() throws Exception {
        Process child = run(config("openssl", GatewayHarness.freePort()));
        try {
            assertThat(child.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("the child exits").isTrue();
            String output = output();
            assertThat(child.exitValue()).as(output).isEqualTo(2);
            assertThat(output).contains("portcullis: cannot start: server.tls_provider is openssl, but BoringSSL "
                    + "(netty-tcnative) cannot load here:").contains("noOpenSsl");
            assertThat(output).doesNotContain("Portcullis is running");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void autoWithoutBoringSslWarnsAndServesTlsWithTheJdkEngine() throws Exception {
        int port = GatewayHarness.freePort();
        Process child = run(config("auto", port));
        try {
            String output = awaitOutput(child, "Portcullis is running");
            assertThat(output).contains("server.tls_provider is auto, but BoringSSL (netty-tcnative) cannot load "
                    + "here, so TLS runs on the JDK's engine");
            try (RawHttpClient client = RawHttpClient.connectTls(port, certs(), "app.test")) {
                client.send("GET /portcullis/ HTTP/1.1\r\nHost: app.test\r\n\r\n");
                assertThat(client.readResponse(Duration.ofSeconds(10)).status()).as("default_policy: deny").isEqualTo(403);
            }
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private TestCertificates certs;

    private TestCertificates certs() {
        if (certs == null) {
            certs = TestCertificates.create(dir.resolve("certs"));
        }
        return certs;
    }

    private Path config(String provider, int port) throws IOException {
        Path file = dir.resolve("portcullis.yaml");
        Files.writeString(file, """
                server:
                  tls_provider: %s
                  listeners:
                    - address: 127.0.0.1:%d
                      tls:
                        certificate: %s
                        private_key: %s
                routes:
                  - name: app
                    host: app.test
                    upstream: http://127.0.0.1:9
                access_control:
                  default_policy: deny
                """.formatted(provider, port, certs().certificateChainPem(), certs().privateKeyPem()),
                StandardCharsets.UTF_8);
        return file;
    }

    private Process run(Path config) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-Dio.netty.handler.ssl.noOpenSsl=true",
                "-XX:TieredStopAtLevel=1", PortcullisMain.class.getName(), "run", "--config", config.toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(dir.resolve("child.log").toFile());
        return builder.start();
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
    }

    /** Polls the child's output (it writes as it starts) until {@code text} appears or the child ends. */
    private String awaitOutput(Process child, String text) throws Exception {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            String output = output();
            if (output.contains(text)) {
                return output;
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child ended (" + child.exitValue() + ") without '" + text + "':\n"
                        + output);
            }
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("no '" + text + "' within " + START + ":\n" + output());
    }
}
