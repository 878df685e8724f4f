package org.portcullis.signin;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real servers and clients for the {@code portcullis connect} tests, each started on a free port of 127.0.0.1 in a
 * temp folder and stopped afterwards: PostgreSQL 15 (initdb/pg_ctl as the {@code postgres} user, since they refuse
 * root), OpenSSH's {@code sshd} with its own config and host key. A missing tool skips the test, or fails it when
 * {@code CI=true}, so the check cannot silently disappear from CI.
 */
final class ConnectTools {
    static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final Path PSQL = Path.of("/usr/bin/psql");
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final Path SSH = Path.of("/usr/bin/ssh");
    static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    static final Path RUNUSER = Path.of("/usr/sbin/runuser");

    private ConnectTools() {
    }

    static void require(Path tool, String debianPackage) {
        if (!Files.isExecutable(tool)) {
            String message = tool + " not found (Debian package '" + debianPackage + "')";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "; CI=true, so this test must run");
            }
            Assumptions.abort(message + "; skipped because CI is not 'true'");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code command}; returns its exit code and output (stdout and stderr together). */
    static Result run(Duration timeout, List<String> command, String... environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (int i = 0; i + 1 < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }

    record Result(int exit, String output) {
    }

    /** A throwaway PostgreSQL cluster with the superuser {@code admin} (SCRAM password) on 127.0.0.1:{@link #port}. */
    static final class Postgres implements AutoCloseable {
        static final String USER = "admin";
        static final String PASSWORD = "pg-test-password";
        final Path dir;
        final int port;

        private Postgres(Path dir, int port) {
            this.dir = dir;
            this.port = port;
        }

        static Postgres start() throws Exception {
            require(PG_BIN.resolve("initdb"), "postgresql");
            require(RUNUSER, "util-linux");
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "portcullis-pg-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path password = dir.resolve("pw");
            Files.writeString(password, PASSWORD + "\n");
            Files.createDirectory(dir.resolve("sock"));
            chown(dir);
            int port = freePort();
            Path data = dir.resolve("data");
            Result init = run(Duration.ofSeconds(60), asPostgres(PG_BIN.resolve("initdb").toString(), "-D",
                    data.toString(), "-U", USER, "-E", "UTF8", "--locale=C", "-N", "--auth-local=trust",
                    "--auth-host=scram-sha-256", "--pwfile=" + password));
            if (init.exit() != 0) {
                fail("initdb failed: " + init.output());
            }
            Result started = run(Duration.ofSeconds(60), asPostgres(PG_BIN.resolve("pg_ctl").toString(), "-D",
                    data.toString(), "-l", dir.resolve("log").toString(), "-w", "-o", "-c port=" + port
                            + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir.resolve("sock")
                            + " -c fsync=off", "start"));
            if (started.exit() != 0) {
                fail("pg_ctl start failed: " + started.output());
            }
            return new Postgres(dir, port);
        }

        private static void chown(Path dir) throws Exception {
            Result owned = run(Duration.ofSeconds(10), List.of("chown", "-R", "postgres:postgres", dir.toString()));
            if (owned.exit() != 0) {
                fail("chown failed: " + owned.output());
            }
        }

        private static List<String> asPostgres(String... command) {
            List<String> full = new ArrayList<>(List.of(RUNUSER.toString(), "-u", "postgres", "--"));
            full.addAll(List.of(command));
            return full;
        }

        @Override
        public void close() throws Exception {
            run(Duration.ofSeconds(60), asPostgres(PG_BIN.resolve("pg_ctl").toString(), "-D",
                    dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
            run(Duration.ofSeconds(30), List.of("rm", "-rf", dir.toString()));
        }
    }

    /** A throwaway OpenSSH server on 127.0.0.1:{@link #port} that lets root in with {@link #clientKey} only. */
    static final class Sshd implements AutoCloseable {
        final Path dir;
        final int port;
        final Path clientKey;
        private final Process process;

        private Sshd(Path dir, int port, Path clientKey, Process process) {
            this.dir = dir;
            this.port = port;
            this.clientKey = clientKey;
            this.process = process;
        }

        static Sshd start(Path dir) throws Exception {
            require(SSHD, "openssh-server");
            require(SSH, "openssh-client");
            require(SSH_KEYGEN, "openssh-client");
            Files.createDirectories(Path.of("/run/sshd"));
            Path hostKey = dir.resolve("host_ed25519");
            Path clientKey = dir.resolve("client_ed25519");
            for (Path key : List.of(hostKey, clientKey)) {
                Result made = run(Duration.ofSeconds(30), List.of(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N",
                        "", "-f", key.toString()));
                if (made.exit() != 0) {
                    fail("ssh-keygen failed: " + made.output());
                }
            }
            Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, """
                    Port %d
                    ListenAddress 127.0.0.1
                    HostKey %s
                    PidFile none
                    UsePAM no
                    StrictModes no
                    AuthorizedKeysFile %s
                    PasswordAuthentication no
                    KbdInteractiveAuthentication no
                    PermitRootLogin prohibit-password
                    """.formatted(port, hostKey, dir.resolve("authorized_keys")));
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        fail("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                    }
                    Thread.sleep(20);
                }
            }
            return new Sshd(dir, port, clientKey, process);
        }

        /** The ssh command line to run {@code remote} as root on 127.0.0.1:{@code port}, keys only, no prompts. */
        List<String> ssh(int viaPort, String remote) {
            return List.of(SSH.toString(), "-F", "/dev/null", "-i", clientKey.toString(), "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                    "-p", String.valueOf(viaPort), "root@127.0.0.1", remote);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
