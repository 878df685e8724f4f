package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.ConfigValidateCommandTest.Run;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;

/**
 * {@code portcullis demo} as a newcomer runs it: real processes ({@code java … PortcullisMain demo}), each with its
 * own JVM, so the data directory lock is tested across processes as two terminals would run it. A second demo on the
 * same directory (even on another port) refuses and writes nothing; the first keeps serving with the password it
 * printed. The demo writes an audit trail and prints the commands to try on it, which work.
 */
class DemoProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern PASSWORD = Pattern.compile("Sign in as: +demo / (\\S+)");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopDemos() throws Exception {
        for (Process process : started) {
            process.destroy(); // SIGTERM: the demo's shutdown hook stops the gateway
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private Process demo(String name, int port, Path dataDir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), PortcullisMain.class.getName(), "demo",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString());
        builder.directory(dir.toFile());
        builder.redirectOutput(dir.resolve(name + ".out").toFile());
        builder.redirectError(dir.resolve(name + ".err").toFile());
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Polls the demo's output (async: a process starting) until {@code marker} appears or the process ends. */
    private String awaitOutput(String name, Process process, String marker) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        Path out = dir.resolve(name + ".out");
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            if (text.contains(marker)) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended with " + process.exitValue() + ": " + text
                        + Files.readString(dir.resolve(name + ".err")));
            }
            Thread.sleep(100); // polling a child process's start, not waiting for time to pass
        }
        throw new AssertionError(name + " did not print '" + marker + "' within " + WAIT);
    }

    private static RawResponse signIn(int port, String password) throws Exception {
        String host = "Host: localhost:" + port + "\r\n";
        RawResponse form = RawHttpClient.exchange(port, "GET /.portcullis/login HTTP/1.1\r\n" + host + "\r\n");
        String token = form.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        String csrfCookie = form.header("Set-Cookie").substring(0, form.header("Set-Cookie").indexOf(';'));
        String body = "username=demo&password=" + password + "&csrf=" + token + "&rd=%2F";
        return RawHttpClient.exchange(port, "POST /.portcullis/login HTTP/1.1\r\n" + host
                + "Origin: http://localhost:" + port + "\r\nCookie: " + csrfCookie + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body);
    }

    private static String sessionCookie(RawResponse signedIn) {
        String session = signedIn.headers("Set-Cookie").stream()
                .filter(c -> c.startsWith("__Host-portcullis=")).findFirst().orElseThrow();
        return "Cookie: " + session.substring(0, session.indexOf(';')) + "\r\n";
    }

    @Test
    void aSecondDemoOnTheSameDirectoryRefusesAndTheFirstKeepsServingWithItsPassword() throws Exception {
        Path data = dir.resolve("demo-data");
        int firstPort = RunCommandTest.freePort();
        Process first = demo("first", firstPort, data);
        String printed = awaitOutput("first", first, "Press Ctrl+C to stop.");
        Matcher password = PASSWORD.matcher(printed);
        assertThat(password.find()).as(printed).isTrue();
        byte[] usersBefore = Files.readAllBytes(data.resolve("users.yaml"));
        byte[] configBefore = Files.readAllBytes(data.resolve("portcullis-demo.yaml"));

        Process second = demo("second", RunCommandTest.freePort(), data);
        assertThat(second.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the second demo ends").isTrue();

        assertThat(second.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("second.err"))).contains("portcullis demo: " + data.toAbsolutePath()
                + " is in use by another demo (process " + first.pid() + ")")
                .contains("--data-dir");
        assertThat(Files.readString(dir.resolve("second.out"))).doesNotContain("Sign in as");
        assertThat(Files.readAllBytes(data.resolve("users.yaml"))).as("users file untouched").isEqualTo(usersBefore);
        assertThat(Files.readAllBytes(data.resolve("portcullis-demo.yaml"))).as("config untouched")
                .isEqualTo(configBefore);

        RawResponse signedIn = signIn(firstPort, password.group(1));
        assertThat(signedIn.status()).as("the printed password still works: " + signedIn.bodyText())
                .isEqualTo(303);
        RawResponse app = RawHttpClient.exchange(firstPort, "GET / HTTP/1.1\r\nHost: localhost:" + firstPort
                + "\r\n" + sessionCookie(signedIn) + "\r\n");
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.bodyText()).as("the app shows who the gateway says the user is")
                .contains("X-Forwarded-User</dt><dd>demo</dd>")
                .contains("X-Forwarded-Name</dt><dd>Demo Clinician</dd>")
                .contains("X-Forwarded-Groups</dt><dd>clinicians</dd>");
    }

    @Test
    void theDemoWritesAnAuditTrailAndTheCommandsItPrintsWork() throws Exception {
        Path data = dir.resolve("demo-data");
        int port = RunCommandTest.freePort();
        Process demo = demo("demo", port, data);
        String printed = awaitOutput("demo", demo, "Press Ctrl+C to stop.");
        Matcher password = PASSWORD.matcher(printed);
        assertThat(password.find()).isTrue();
        Path config = data.toAbsolutePath().resolve("portcullis-demo.yaml");
        assertThat(printed).contains("Audit trail:     " + data.toAbsolutePath().resolve("audit.jsonl"))
                .contains("./portcullis audit verify --config " + config)
                .contains("./portcullis audit query --config " + config + " --user demo")
                .contains("./portcullis audit report --config " + config + " --out ");
        assertThat(signIn(port, password.group(1)).status()).isEqualTo(303);

        Run verify = awaitRun("\"event.action\":\"session.create\"", data.resolve("audit.jsonl"),
                "audit", "verify", "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("OK: ");
        Run query = ConfigValidateCommandTest.run("audit", "query", "--config", config.toString(), "--user", "DEMO",
                "--event", "user.sign_in");
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out()).contains("user.sign_in").contains("password");
        Path report = dir.resolve("report.html");
        Run reported = ConfigValidateCommandTest.run("audit", "report", "--config", config.toString(), "--out",
                report.toString());
        assertThat(reported.exitCode()).as(reported.err()).isZero();
        assertThat(Files.readString(report)).contains("<html");
    }

    /** Runs the command once {@code file} holds {@code marker}: the demo writes its trail asynchronously. */
    private static Run awaitRun(String marker, Path file, String... args) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)
                && !(Files.exists(file) && Files.readString(file).contains(marker))) {
            Thread.sleep(100);
        }
        return ConfigValidateCommandTest.run(args);
    }
}
