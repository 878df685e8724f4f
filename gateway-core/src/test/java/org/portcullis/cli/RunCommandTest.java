package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.ConfigValidateCommandTest.Run;
import org.portcullis.config.ConfigLoader;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.server.GatewayServer;
import org.portcullis.storage.EmbeddedDatabase;

/**
 * {@code portcullis run --config FILE} up to the point where it would keep running: the exit codes of the ways it
 * refuses to start. (A successful run blocks until SIGTERM; the running gateway is covered by the e2e tests.)
 */
class RunCommandTest {

    @TempDir
    Path dir;

    static String config(int port) {
        return """
                server:
                  listeners:
                    - address: 127.0.0.1:%d
                routes:
                  - name: app
                    host: app.test
                    upstream: http://127.0.0.1:9
                access_control:
                  default_policy: deny
                """.formatted(port);
    }

    @Test
    void invalidConfigExitsOneWithItsErrorsAndStartsNothing() throws Exception {
        int port = freePort();
        Path file = dir.resolve("portcullis.yaml");
        Files.writeString(file, config(port).replace("default_policy: deny", "default_policy: allow"));

        Run run = ConfigValidateCommandTest.run("run", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly(
                file + ":9: access_control.default_policy: 'allow' is not a policy (allowed: bypass, one_factor, "
                        + "two_factor, deny)",
                file + ": 1 error");
        assertThat(run.out()).isEmpty();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .as("no listener was opened").isInstanceOf(ConnectException.class);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS) // were the bind to succeed, run would wait for SIGTERM
    void portInUseExitsTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path file = dir.resolve("portcullis.yaml");
            Files.writeString(file, config(taken.getLocalPort()));

            Run run = ConfigValidateCommandTest.run("run", "--config", file.toString());

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("portcullis: cannot start: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": the address is already in use (another program, or another"
                    + " Portcullis, listens there)" + System.lineSeparator());
            assertThat(run.out()).as("never claimed to be running").isEmpty();
        }
    }

    @Test
    void missingConfigFileExitsOne() {
        Path file = dir.resolve("missing.yaml");

        Run run = ConfigValidateCommandTest.run("run", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith(file + ":0: (file): cannot read: no such file");
    }

    @Test
    void withoutConfigOptionExitsTwo() {
        Run run = ConfigValidateCommandTest.run("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS) // were the second start to succeed, run would wait for SIGTERM
    void storageIsOpenedAtStartAndAnotherKeyStopsTheNextStart() throws Exception {
        EncryptionKey first = EncryptionKey.generate();
        EncryptionKey second = EncryptionKey.generate();
        Path dataDir = dir.resolve("state");
        Path file = dir.resolve("portcullis.yaml");
        Files.writeString(file, withStorage(config(freePort()), dataDir, first));

        try (GatewayServer server = GatewayServer.start(new ConfigLoader().load(file).config(), Clock.systemUTC())) {
            assertThat(server.runtime().storage()).as("the store is open for later wiring").isPresent();
            Path db = dataDir.resolve(EmbeddedDatabase.FILE_NAME);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        }

        int port = freePort();
        Files.writeString(file, withStorage(config(port), dataDir, second));
        Run run = ConfigValidateCommandTest.run("run", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("portcullis: cannot start: secrets are encrypted under key " + first.id()
                + ", the configured storage.encryption_key is " + second.id());
        assertThat(run.err()).doesNotContain(first.revealBase64()).doesNotContain(second.revealBase64());
        assertThat(run.out()).as("never claimed to be running").isEmpty();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .as("no listener was opened").isInstanceOf(ConnectException.class);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void storeThatOthersCanReadStopsTheStart() throws Exception {
        Path dataDir = Files.createDirectory(dir.resolve("state"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        Path file = dir.resolve("portcullis.yaml");
        Files.writeString(file, withStorage(config(freePort()), dataDir, EncryptionKey.generate()));

        Run run = ConfigValidateCommandTest.run("run", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("portcullis: cannot start: data directory " + dataDir
                + " has mode rwxr-x---: group and others must have no access (chmod 700)");
    }

    static String withStorage(String config, Path dataDir, EncryptionKey key) {
        return config + """
                storage:
                  data_dir: %s
                  encryption_key: %s
                """.formatted(dataDir, key.revealBase64());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
