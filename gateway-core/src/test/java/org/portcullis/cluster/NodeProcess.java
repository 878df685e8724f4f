package org.portcullis.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.portcullis.cli.PortcullisMain;

/**
 * One gateway node as its own operating-system process, started the way {@code ./portcullis run} starts it: a JVM
 * with the test's class path, the main class, {@code run --config FILE} and the production logback config. A test can
 * kill it with SIGKILL (nothing runs on the way out: no shutdown hook, no flush, no goodbye to PostgreSQL or Redis)
 * and start it again on the same config.
 */
final class NodeProcess implements AutoCloseable {
    /** A JVM starting on a busy 2-core machine (several builds at once) can take long. */
    static final Duration START = Duration.ofSeconds(120);
    private static final String RUNNING = "Portcullis is running on";

    private final Path config;
    private final Path out;
    private final Path err;
    private Process process;

    private NodeProcess(Path config, String name) {
        this.config = config;
        this.out = config.resolveSibling(name + ".out");
        this.err = config.resolveSibling(name + ".err");
    }

    /** Starts the node of {@code config} (not waiting for it: see {@link #awaitRunning()}). */
    static NodeProcess launch(Path config, String name) throws IOException {
        NodeProcess node = new NodeProcess(config, name);
        node.launch();
        return node;
    }

    /** Starts the process again on the same config (after {@link #kill()}). */
    void launch() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // C1 only and a small serial heap: three of these start at once on a machine shared with other builds.
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
                PortcullisMain.class.getName(), "run", "--config", config.toString());
        Files.deleteIfExists(out);
        builder.redirectOutput(out.toFile());
        builder.redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        process = builder.start();
    }

    /** Waits until the node says it is running (it has bound its listener), at most {@link #START}. */
    void awaitRunning() throws IOException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            if (text.contains(RUNNING)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("node " + config.getFileName() + " ended with " + process.exitValue() + ": "
                        + text + Files.readString(err));
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // polling another process's output
        }
        throw new AssertionError("node " + config.getFileName() + " not running within " + START + ": "
                + Files.readString(err));
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** {@code kill -9}: the process ends at once, as in a power cut or an OOM kill; returns once it is gone. */
    void kill() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -KILL " + process.pid() + " failed");
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + config.getFileName() + " still alive after SIGKILL");
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
