package org.portcullis.signin;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real OpenSSH for the jump host's tests (issue 17): a throwaway {@code sshd} target started on a free port with its
 * own config, host key and authorized key ({@code UsePAM no}, public-key sign-in only), and the stock {@code ssh}
 * client driven through {@code expect}, which types the password and the codes at the prompts a user would see.
 * Tools missing: the test is skipped with how to install them, or fails under {@code CI=true}, so these checks never
 * silently disappear from CI (Debian packages {@code openssh-server openssh-client expect}).
 */
final class OpenSsh implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final Path SSH = Path.of("/usr/bin/ssh");
    static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    static final Path EXPECT = Path.of("/usr/bin/expect");
    static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    /** Types {@code PC_PASSWORD} at a password prompt and the next of {@code PC_CODES} at each code prompt. */
    private static final String DIALOGUE = """
            set timeout 40
            set password $env(PC_PASSWORD)
            set codes [split $env(PC_CODES) " "]
            log_user 1
            spawn -noecho {*}$argv
            expect {
              -re {password: ?$} { send -- "$password\\r"; exp_continue }
              -re {code: ?$} {
                if {[llength $codes] > 0} {
                  send -- "[lindex $codes 0]\\r"
                  set codes [lrange $codes 1 end]
                } else {
                  send -- "\\r"
                }
                exp_continue
              }
              eof
            }
            lassign [wait] pid spawnid os_error value
            exit $value
            """;

    final Path dir;
    final int targetPort;
    final String targetUser;
    private final Process sshd;
    private final Path config;
    private final Path script;

    private OpenSsh(Path dir, int targetPort, String targetUser, Process sshd, Path config, Path script) {
        this.dir = dir;
        this.targetPort = targetPort;
        this.targetUser = targetUser;
        this.sshd = sshd;
        this.config = config;
        this.script = script;
    }

    /** Skips (or fails under CI=true) when a tool is missing. */
    static void require() {
        List<String> missing = new ArrayList<>();
        for (Path tool : List.of(SSHD, SSH, SSH_KEYGEN, EXPECT)) {
            if (!Files.isExecutable(tool)) {
                missing.add(tool.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "the SSH jump host tests need " + String.join(", ", missing)
                + " (Debian: apt-get install openssh-server openssh-client expect, or run scripts/test.sh as root)";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + "; CI=true, so these tests must run");
        }
        Assumptions.abort(message + "; skipped because CI is not 'true'");
    }

    /** Starts the target sshd in {@code dir} and writes the client's config for a gateway on {@code gatewayPort}. */
    static OpenSsh start(Path dir, int gatewayPort) throws Exception {
        require();
        Files.createDirectories(dir);
        run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("client_key").toString());
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        String user = System.getProperty("user.name");
        int port = freePort();
        Path sshdConfig = Files.writeString(dir.resolve("sshd_config"), """
                Port %d
                ListenAddress 127.0.0.1
                HostKey %s
                PidFile none
                UsePAM no
                StrictModes no
                AuthorizedKeysFile %s
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                AllowUsers %s
                LogLevel VERBOSE
                """.formatted(port, dir.resolve("host_key"), dir.resolve("authorized_keys"), user));
        if ("root".equals(user)) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", sshdConfig.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        awaitListening(port, sshd, dir.resolve("sshd.log"));
        Path clientConfig = Files.writeString(dir.resolve("ssh_config"), """
                Host gateway
                  HostName 127.0.0.1
                  Port %d
                  PreferredAuthentications password,keyboard-interactive
                  PubkeyAuthentication no
                Host *
                  UserKnownHostsFile %s
                  StrictHostKeyChecking accept-new
                  IdentityFile %s
                  IdentitiesOnly yes
                  BatchMode no
                  ControlMaster no
                  ControlPath none
                  ConnectTimeout 10
                  ForwardAgent no
                  ForwardX11 no
                  UpdateHostKeys no
                """.formatted(gatewayPort, dir.resolve("known_hosts"), dir.resolve("client_key")));
        Files.setPosixFilePermissions(clientConfig, PosixFilePermissions.fromString("rw-------"));
        Path script = Files.writeString(dir.resolve("dialogue.exp"), DIALOGUE);
        return new OpenSsh(dir, port, user, sshd, clientConfig, script);
    }

    /** What the user saw and the exit status. */
    record Run(int exit, String output) {
    }

    /** {@code ssh -F CONFIG ARGS…} through expect, answering prompts with {@code password} and {@code codes}. */
    Run ssh(String password, List<String> codes, String... args) throws Exception {
        Process process = start(password, codes, args);
        if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("ssh did not end within " + RUN_LIMIT + ": " + output(process));
        }
        return new Run(process.exitValue(), output(process));
    }

    /**
     * {@code ssh -F CONFIG ARGS… | wc -c} through expect: the prompts come on the terminal, what ssh writes to its
     * standard output (binary, e.g. a {@code -W} stream) is only counted; the count is in the output.
     */
    Run sshCountingOutput(String password, List<String> codes, String... args) throws Exception {
        // sh -c with the paths and arguments as positional parameters: nothing is quoted into the script.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "ssh=$0; config=$1; shift; \"$ssh\" -F \"$config\" \"$@\" </dev/null | wc -c"));
        command.addAll(List.of(SSH.toString(), config.toString()));
        command.addAll(List.of(args));
        Process process = startSpawned(password, codes, command);
        if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("ssh did not end within " + RUN_LIMIT + ": " + output(process));
        }
        return new Run(process.exitValue(), output(process));
    }

    /** Starts {@code ssh} through expect without waiting (a stream the test cuts, a -L listener). */
    Process start(String password, List<String> codes, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(SSH.toString(), "-F", config.toString()));
        command.addAll(List.of(args));
        return startSpawned(password, codes, command);
    }

    /** Runs {@code command} under expect, which answers the password and code prompts. */
    private Process startSpawned(String password, List<String> codes, List<String> spawned) throws IOException {
        List<String> command = new ArrayList<>(List.of(EXPECT.toString(), script.toString()));
        command.addAll(spawned);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(Files.createTempFile(dir, "ssh-", ".out").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("PC_PASSWORD", password);
        environment.put("PC_CODES", String.join(" ", codes));
        Process process = builder.start();
        outputs.put(process, builder.redirectOutput().file().toPath());
        return process;
    }

    private final Map<Process, Path> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    /** Everything the process printed so far, carriage returns removed. */
    String output(Process process) throws IOException {
        return Files.readString(outputs.get(process), StandardCharsets.UTF_8).replace("\r", "");
    }

    /** {@code ssh-keygen -l -F HOST -f known_hosts}: the fingerprint the client recorded for {@code host}. */
    String knownHostFingerprint(String host) throws Exception {
        return run(SSH_KEYGEN.toString(), "-l", "-F", host, "-f", dir.resolve("known_hosts").toString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("sshd exited: " + Files.readString(log));
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        fail("sshd did not listen on " + port + ": " + Files.readString(log));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        sshd.destroy();
        try {
            if (!sshd.waitFor(5, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
