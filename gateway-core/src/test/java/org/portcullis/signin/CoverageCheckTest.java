package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RecordedRequest;
import picocli.CommandLine;

/**
 * {@code coverage check --from-here} against real listeners, with the gateway running as {@code run} wires it (issue
 * 20): the gateway's own upstream answers directly on 127.0.0.1 (reachable around the gateway: exit 1), a second
 * upstream listens only on 127.0.0.2 and is checked at 127.0.0.3, where nothing answers (the honest "firewalled"
 * case), and the gateway's own address answers with its portal. The probe sends one GET without credentials, and the
 * running gateway moves the recorded result into the sealed trail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoverageCheckTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    Path dir;
    SignInGateway gateway;
    EchoUpstream elsewhere;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PortcullisMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        elsewhere = EchoUpstream.startOn(InetAddress.getByName("127.0.0.2"));
        // The entry points name the gateway's upstream port, which is known only once it runs: start without them,
        // then give the command a copy of the config with them (the gateway itself never reads entry_points).
        gateway = SignInGateway.start(dir, Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        gateway.close();
        elsewhere.close();
    }

    Path configWith(String name, String entryPoints) throws Exception {
        String yaml = Files.readString(dir.resolve("portcullis.yaml"));
        return Files.writeString(dir.resolve(name), yaml + "entry_points:\n" + entryPoints);
    }

    @Test
    void anUpstreamAnsweringDirectlyFailsTheCheckAndTheResultReachesTheTrail() throws Exception {
        Path config = configWith("exposed.yaml", """
                  - address: 127.0.0.1:%d
                    scheme: http
                    route: app
                  - address: 127.0.0.3:%d
                    scheme: http
                    route: other
                  - address: 127.0.0.1:%d
                    scheme: https
                    route: app
                  - address: 127.0.0.1:%d
                    route: other
                """.formatted(gateway.upstream.port(), elsewhere.port(), gateway.port, gateway.upstream.port()));
        gateway.drainUpstream();
        int auditFrom = gateway.auditLines().size();

        Run run = run("coverage", "check", "--config", config.toString(), "--from-here", "--timeout", "2s");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains(
                "  route app (app.test/): weakest none",
                "    public: bypass, strength none; paths [/public/**]",
                "    signed-in: one_factor, strength weak",
                "  http://127.0.0.1:" + gateway.upstream.port() + " (route app): ANSWERED AROUND THE GATEWAY - HTTP 200"
                        + " for GET / without sign-in at the gateway",
                "  http://127.0.0.3:" + elsewhere.port() + " (route other): CLOSED - connection refused",
                "  https://127.0.0.1:" + gateway.port + " (route app): GATEWAY - HTTP 302 for GET /, sent to the "
                        + "gateway's portal",
                "  127.0.0.1:" + gateway.upstream.port() + " (route other): REACHABLE AROUND THE GATEWAY - TCP "
                        + "connection accepted",
                "Result: 2 of 4 entry points answer around the gateway from here",
                "Recorded in the audit trail as coverage.check");

        RecordedRequest probe = gateway.upstream.takeRequest(WAIT);
        assertThat(probe.requestLine()).isEqualTo("GET / HTTP/1.1");
        assertThat(probe.header("Host")).isEqualTo("app.test");
        assertThat(probe.header("Cookie")).isNull();
        assertThat(probe.header("Authorization")).isNull();
        assertThat(probe.body()).isEmpty();
        assertThat(elsewhere.takeRequest(Duration.ofMillis(200))).as("127.0.0.2 was never asked").isNull();
        assertThat(gateway.awaitAuditLine(auditFrom, "coverage.check")).anySatisfy(line -> assertThat(line)
                .contains("\"event.action\":\"admin.command\"", "\"event.reason\":\"coverage.check\"",
                        "\"event.outcome\":\"failure\"", "entry_points=4 around_gateway=2: http://127.0.0.1:"
                                + gateway.upstream.port() + " (route app), 127.0.0.1:" + gateway.upstream.port()
                                + " (route other)"));
    }

    @Test
    void onlyClosedAddressesAndTheGatewayPassTheCheck() throws Exception {
        Path config = configWith("covered.yaml", """
                  - address: 127.0.0.3:%d
                    scheme: http
                    route: other
                  - address: 127.0.0.1:%d
                    scheme: https
                    route: app
                """.formatted(elsewhere.port(), gateway.port));
        int auditFrom = gateway.auditLines().size();

        Run run = run("coverage", "check", "--config", config.toString(), "--from-here", "--timeout", "2s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Result: no entry point answers around the gateway from here");
        assertThat(gateway.awaitAuditLine(auditFrom, "coverage.check")).anySatisfy(line -> assertThat(line)
                .contains("\"event.outcome\":\"success\"", "entry_points=2 around_gateway=0"));
    }

    @Test
    void withoutFromHereNothingIsTriedOrRecorded() throws Exception {
        Path config = configWith("untried.yaml", """
                  - address: 127.0.0.1:%d
                    scheme: http
                    route: app
                """.formatted(gateway.upstream.port()));
        gateway.drainUpstream();

        Run run = run("coverage", "check", "--config", config.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Entry points (1): not tried (add --from-here to try them from this host)");
        assertThat(gateway.upstream.takeRequest(Duration.ofMillis(300))).isNull();
    }
}
