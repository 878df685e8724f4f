package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.connect.ConnectClient;
import org.portcullis.connect.GatewayEndpoint;
import org.portcullis.fixtures.MutableClock;

/**
 * Issue 17 point 3: real clients carried by {@code portcullis connect} through the running gateway to real servers
 * started by the test on 127.0.0.1: {@code psql} to a PostgreSQL 15 cluster (SCRAM password, so the server's own
 * authentication runs end to end through the tunnel), and OpenSSH's {@code ssh} to a throwaway {@code sshd}; an SSH
 * session carried this way ends within a second of its gateway session being revoked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectClientsTest {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    TotpFlow flow;
    ConnectTools.Postgres postgres;
    ConnectTools.Sshd sshd;
    String aliceSecret;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ConnectTools.require(ConnectTools.PSQL, "postgresql-client");
        postgres = ConnectTools.Postgres.start();
        sshd = ConnectTools.Sshd.start(java.nio.file.Files.createDirectories(dir.resolve("ssh")));
        gateway = SignInGateway.start(dir.resolve("gateway"), clock, TotpFlow.POLICY, """
                tcp_targets:
                  - name: reporting-db
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                    factors: [totp]
                  - name: db01-ssh
                    address: 127.0.0.1:%d
                    subjects: [user:alice]
                """.formatted(postgres.port, sshd.port));
        flow = new TotpFlow(gateway, clock);
        aliceSecret = flow.enrol("alice");
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void psqlRunsQueriesThroughConnect() throws Exception {
        try (ConnectClient client = client("reporting-db")) {
            int port = listening;
            ConnectTools.Result result = ConnectTools.run(Duration.ofSeconds(60), List.of(
                    ConnectTools.PSQL.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                    ConnectTools.Postgres.USER, "-d", "postgres", "-X", "-A", "-t", "-c",
                    "select 'through ' || 'connect', 40 + 2, current_user"),
                    "PGPASSWORD", ConnectTools.Postgres.PASSWORD, "PGSSLMODE", "disable", "PGCONNECT_TIMEOUT", "20");
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output().strip()).isEqualTo("through connect|42|admin");

            // A wrong password is the database's refusal, carried back unchanged.
            ConnectTools.Result wrong = ConnectTools.run(Duration.ofSeconds(60), List.of(
                    ConnectTools.PSQL.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                    ConnectTools.Postgres.USER, "-d", "postgres", "-X", "-c", "select 1"),
                    "PGPASSWORD", "wrong", "PGSSLMODE", "disable");
            assertThat(wrong.exit()).isNotZero();
            assertThat(wrong.output()).contains("password authentication failed for user \"admin\"");
        }
    }

    @Test
    void sshRunsACommandThroughConnect() throws Exception {
        try (ConnectClient client = client("db01-ssh")) {
            ConnectTools.Result result = ConnectTools.run(Duration.ofSeconds(60),
                    sshd.ssh(listening, "echo carried-by-connect; head -c 200000 /dev/zero | wc -c"));
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).isEqualTo("carried-by-connect\n200000\n");
        }
    }

    @Test
    void revokingTheSessionEndsAnOpenSshSessionWithinASecond() throws Exception {
        int from = gateway.auditLines().size();
        try (ConnectClient client = client("db01-ssh")) {
            Process ssh = new ProcessBuilder(sshd.ssh(listening, "echo ready; sleep 60")).redirectErrorStream(true)
                    .start();
            ssh.getOutputStream().close();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                    ssh.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");
            StringWriter sink = new StringWriter();
            picocli.CommandLine cli = org.portcullis.cli.PortcullisMain.commandLine();
            cli.setOut(new PrintWriter(sink, true));
            cli.setErr(new PrintWriter(sink, true));
            assertThat(cli.execute("sessions", "revoke", "--user", "alice", "--data-dir",
                    gateway.dataDir.toString())).isZero();
            long revoked = System.nanoTime();
            assertThat(ssh.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(1));
            assertThat(ssh.exitValue()).isEqualTo(255); // ssh's own "connection lost"
        }
        String close = LiveConnectionsTest.awaitLine(gateway, from, "remote.close", "revoked");
        assertThat(LiveConnectionsTest.field(close, "route")).isEqualTo("db01-ssh");
        assertThat(Long.parseLong(LiveConnectionsTest.field(close, "source.bytes"))).isPositive();
        assertThat(Long.parseLong(LiveConnectionsTest.field(close, "destination.bytes"))).isPositive();
    }

    int listening;

    ConnectClient client(String target) throws Exception {
        ConnectBrowser browser = new ConnectBrowser(flow, "alice", SignInGateway.PASSWORD, aliceSecret);
        ConnectClient client = new ConnectClient(new GatewayEndpoint(java.net.URI.create(gateway.portalOrigin()),
                "127.0.0.1", GatewayEndpoint.trusting(gateway.certs.caCertificatePem())), target,
                new InetSocketAddress("127.0.0.1", 0), browser, new PrintWriter(new StringWriter(), true),
                Duration.ofSeconds(20));
        listening = client.start().getPort();
        client.signIn();
        return client;
    }
}
