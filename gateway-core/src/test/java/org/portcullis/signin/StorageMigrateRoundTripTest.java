package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.StorageCommand;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.fixtures.RawResponse;
import picocli.CommandLine;

/**
 * {@code portcullis storage migrate --from sqlite:DIR --to postgresql://…}: a single node's store moves into
 * PostgreSQL, and a gateway started on it with the same key signs alice in with the same authenticator app (and
 * keeps her session). A second run into the now non-empty database is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class StorageMigrateRoundTripTest {
    static final String KEY = "7c".repeat(32);
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    PostgresServer postgres;

    @BeforeAll
    void startPostgres() {
        postgres = PostgresServer.startFresh();
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    record Run(int exitCode, String out, String err) {
    }

    Run migrate(Path dataDir, String url) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StorageCommand(Map.of("PORTCULLIS_PG_PASSWORD", PostgresServer.PASSWORD),
                () -> new BufferedReader(new StringReader("")), clock));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("migrate", "--from", "sqlite:" + dataDir, "--to", url, "--user", PostgresServer.USER,
                "--ssl-mode", "disable");
        return new Run(exit, out.toString(), err.toString());
    }

    /** Password and code; returns the app.test cookie after checking the route answers. */
    static String signIn(TotpFlow flow, String secret) throws Exception {
        String pending = flow.password("alice", SignInGateway.PASSWORD, "https://app.test:" + flow.gateway.port
                + "/records/1");
        RawResponse answer = flow.submitCode(pending, flow.code(secret));
        assertThat(answer.status()).as("password and code accepted").isEqualTo(303);
        SignInGateway.SignIn host = flow.gateway.callback(answer.header("Location"));
        assertThat(flow.gateway.navigate("app.test", "/records/1", host.cookie()).status()).isEqualTo(200);
        return host.cookie();
    }

    @Test
    void aUserSignsInWithTheSameAppAfterTheMoveAndASecondMoveIsRefused(@TempDir Path dir) throws Exception {
        String secret;
        String cookie;
        Path dataDir;
        try (SignInGateway single = SignInGateway.startNode(dir.resolve("single"), clock, TotpFlow.POLICY, KEY, "")) {
            TotpFlow flow = new TotpFlow(single, clock);
            flow.postFrom(20);
            secret = flow.enrol("alice");
            cookie = signIn(flow, secret);
            dataDir = single.dataDir;
        }
        String url = postgres.url(postgres.newDatabase());

        Run run = migrate(dataDir, url);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("totp_credentials: 1 rows", "encrypted_secrets: ", "sessions: ",
                "counts verified");
        assertThat(run.out() + run.err()).doesNotContain(PostgresServer.PASSWORD);

        Run again = migrate(dataDir, url);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("refused: the target is not empty", "nothing was written");

        String storage = """
                  backend: postgresql
                  postgresql:
                    url: %s
                    user: %s
                    password: "%s"
                    ssl_mode: disable
                    connect_timeout: 3s
                """.formatted(url, PostgresServer.USER, PostgresServer.PASSWORD);
        try (SignInGateway node = SignInGateway.startNode(dir.resolve("node"), clock, TotpFlow.POLICY, KEY,
                storage)) {
            assertThat(node.navigate("app.test", "/records/1", cookie).status())
                    .as("the session moved with the store").isEqualTo(200);
            clock.advance(Duration.ofSeconds(60));
            TotpFlow flow = new TotpFlow(node, clock);
            flow.postFrom(21);
            assertThat(signIn(flow, secret)).isNotNull();
        }
    }
}
