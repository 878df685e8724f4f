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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.ConfigValidateCommandTest.Run;

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
                  default_policy: bypass
                """.formatted(port);
    }

    @Test
    void invalidConfigExitsOneWithItsErrorsAndStartsNothing() throws Exception {
        int port = freePort();
        Path file = dir.resolve("portcullis.yaml");
        Files.writeString(file, config(port).replace("default_policy: bypass", "default_policy: allow"));

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
            assertThat(run.err()).startsWith("portcullis: cannot start: ");
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

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
