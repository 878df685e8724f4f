package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.config.PostgresqlSslMode;
import org.portcullis.crypto.EncryptedSecrets;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.KeyCheck;
import org.portcullis.crypto.SecretBox;
import org.portcullis.crypto.SecretContext;
import org.portcullis.enrolment.InvitationCodes;
import org.portcullis.enrolment.Redemption;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.policy.AuthFactor;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.FailureLimit;
import org.portcullis.regulation.SqliteFailureCounter;
import org.portcullis.regulation.Subject;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionSettings;
import org.portcullis.session.SqliteSessionStore;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.PostgresDatabase;
import picocli.CommandLine;

/**
 * The admin commands given {@code --config} of a cluster node ({@code storage.backend: postgresql}) work on the
 * shared PostgreSQL store, as the gateway reads it, against a real PostgreSQL: sessions, invitations, MFA reset,
 * unlock, security keys, the users list and key rotation. A config naming a database no gateway ever used is refused
 * with the database named, and no SQLite file appears in {@code storage.data_dir} on the way.
 */
class AdminCommandsOnPostgresTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC);
    static final Pattern CODE = Pattern.compile("': ([A-Z0-9-]{24})\n");
    static final SecretContext ALICE_SECRET = new SecretContext("totp", "alice", "cred-1");

    @TempDir
    Path dir;

    final EncryptionKey key = EncryptionKey.generate();
    PostgresqlConfig postgresql;
    Path config;
    Path dataDir;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void clusterStore() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String database = server.newDatabase();
        postgresql = new PostgresqlConfig(server.host(), server.port(), database, PostgresServer.USER,
                PostgresServer.PASSWORD, PostgresqlSslMode.DISABLE, null, 2, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        dataDir = dir.resolve("data");
        Files.createDirectories(dataDir);
        config = configFor(database);
        // What a running node leaves in the shared store: its schema and key check, sessions, a sealed secret.
        try (PostgresDatabase db = PostgresDatabase.open(postgresql)) {
            KeyCheck.verify(db, new SecretBox(key), CLOCK);
            new EncryptedSecrets(db, new SecretBox(key), CLOCK).put(ALICE_SECRET,
                    "alice-secret-20bytes".getBytes(StandardCharsets.US_ASCII));
            SessionManager sessions = new SessionManager(new SqliteSessionStore(db), SessionSettings.defaults(), CLOCK,
                    new SecureRandom());
            sessions.start("alice", AuthFactor.PASSWORD);
            sessions.start("bob", AuthFactor.PASSWORD);
        }
    }

    private Path configFor(String database) throws Exception {
        String hash = new PasswordHasher(new Argon2Parameters(19456, 2, 1)).hash("correct horse".toCharArray());
        Path users = dir.resolve("users.yaml");
        Files.writeString(users, "users:\n  - username: alice\n    email: alice@example.org\n    password: \""
                + hash + "\"\n  - username: bob\n    password: \"" + hash + "\"\n");
        Path file = dir.resolve("portcullis-" + database + ".yml");
        Files.writeString(file, """
                server:
                  listeners:
                    - address: 127.0.0.1:8080
                storage:
                  data_dir: %s
                  encryption_key: "%s"
                  backend: postgresql
                  postgresql:
                    url: postgresql://%s:%d/%s
                    user: %s
                    password: "%s"
                    ssl_mode: disable
                users:
                  file: %s
                """.formatted(dataDir, key.revealBase64(), postgresql.host(), postgresql.port(), database,
                PostgresServer.USER, PostgresServer.PASSWORD, users));
        return file;
    }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private <T> T inStore(PostgresWork<T> work) throws Exception {
        try (PostgresDatabase db = PostgresDatabase.open(postgresql)) {
            return work.run(db);
        }
    }

    @FunctionalInterface
    interface PostgresWork<T> {
        T run(PostgresDatabase db) throws Exception;
    }

    private int sessions(String user) throws Exception {
        return inStore(db -> sessionsOf(db, user));
    }

    private static int sessionsOf(PostgresDatabase db, String user) {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet row = s.executeQuery("SELECT count(*) FROM sessions WHERE user_name = '" + user + "'")) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    @Test
    void sessionsListAndRevokeWorkOnTheSharedStore() throws Exception {
        Run list = run(new SessionsCommand(), "list", "--config", config.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("alice").contains("bob").endsWith("2 sessions\n");

        Run revoke = run(new SessionsCommand(), "revoke", "--user", "alice", "--config", config.toString());
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        assertThat(sessions("alice")).isZero();
        assertThat(sessions("bob")).isOne();
        assertNoSqliteFile();
    }

    @Test
    void inviteIssuesACodeRedeemableInTheSharedStore() throws Exception {
        Run run = run(new InviteCommand(CLOCK), "alice", "--config", config.toString(), "--expires", "2h");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher code = CODE.matcher(run.out());
        assertThat(code.find()).as(run.out()).isTrue();
        Redemption redeemed = inStore(db -> new InvitationCodes(db).redeem("alice", code.group(1),
                CLOCK.instant().plusSeconds(60)));
        assertThat(redeemed).isEqualTo(Redemption.ACCEPTED);
        assertNoSqliteFile();
    }

    @Test
    void resetMfaRemovesFactorsAndEndsSessionsInTheSharedStore() throws Exception {
        Run run = run(new ResetMfaCommand(CLOCK), "alice", "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("enrolment code for 'alice'");
        assertThat(sessions("alice")).isZero();
        assertThat(sessions("bob")).isOne();
        assertNoSqliteFile();
    }

    @Test
    void unlockClearsTheSharedCounters() throws Exception {
        inStore(db -> new SqliteFailureCounter(db).recordFailure(CounterKind.TOTP, Subject.account("alice"),
                CLOCK.instant(), new FailureLimit(5, Duration.ofMinutes(5), Duration.ofMinutes(5))));

        Run run = run(new UsersCommand(), "unlock", "alice", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("unlocked 'alice' (1 counter cleared)");
        long left = inStore(db -> new SqliteFailureCounter(db).state(CounterKind.TOTP, Subject.account("alice"))
                .consecutiveFailures());
        assertThat(left).isZero();
        assertNoSqliteFile();
    }

    @Test
    void webauthnListAndUsersListReadTheSharedStore() throws Exception {
        Run keys = run(new UsersCommand(), "webauthn", "list", "alice", "--config", config.toString());
        assertThat(keys.exitCode()).as(keys.err()).isZero();

        Run users = run(new UsersCommand(), "list", "--config", config.toString());
        assertThat(users.exitCode()).as(users.err()).isZero();
        assertThat(users.out()).contains("SECOND FACTORS").contains("alice").contains("bob");
        assertNoSqliteFile();
    }

    @Test
    void rotateKeyReEncryptsTheSharedSecrets() throws Exception {
        EncryptionKey next = EncryptionKey.generate();
        Run run = run(new StorageCommand(Map.of(StorageCommand.OLD_KEY_ENV, key.revealBase64(),
                StorageCommand.NEW_KEY_ENV, next.revealBase64()), () -> new BufferedReader(new StringReader("")),
                CLOCK), "rotate-key", "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("re-encrypted ");
        byte[] secret = inStore(db -> {
            KeyCheck.verify(db, new SecretBox(next), CLOCK);
            return new EncryptedSecrets(db, new SecretBox(next), CLOCK).get(ALICE_SECRET).orElseThrow();
        });
        assertThat(secret).isEqualTo("alice-secret-20bytes".getBytes(StandardCharsets.US_ASCII));
        assertNoSqliteFile();
    }

    /** Every store command, pointed at a database no gateway ever started on: refused, naming it; nothing made. */
    @Test
    void aDatabaseWithoutTheGatewaysSchemaIsRefusedAndLeftEmpty() throws Exception {
        String empty = PostgresServer.shared().newDatabase();
        Path wrong = configFor(empty);
        Map<String, Callable<Run>> commands = Map.of(
                "sessions list", () -> run(new SessionsCommand(), "list", "--config", wrong.toString()),
                "users invite", () -> run(new InviteCommand(CLOCK), "alice", "--config", wrong.toString()),
                "users reset-mfa", () -> run(new ResetMfaCommand(CLOCK), "alice", "--config", wrong.toString()),
                "users unlock", () -> run(new UsersCommand(), "unlock", "alice", "--config", wrong.toString()),
                "users webauthn list", () -> run(new UsersCommand(), "webauthn", "list", "alice", "--config",
                        wrong.toString()),
                "storage rotate-key", () -> run(new StorageCommand(Map.of(StorageCommand.OLD_KEY_ENV,
                        key.revealBase64(), StorageCommand.NEW_KEY_ENV, EncryptionKey.generate().revealBase64()),
                        () -> new BufferedReader(new StringReader("")), CLOCK), "rotate-key", "--config",
                        wrong.toString()));
        for (Map.Entry<String, Callable<Run>> command : commands.entrySet()) {
            Run run = command.getValue().call();
            assertThat(run.exitCode()).as(command.getKey() + ": " + run.err()).isNotZero();
            assertThat(run.err()).as(command.getKey()).contains("no gateway store in postgresql://")
                    .contains("/" + empty);
        }
        PostgresqlConfig emptyConfig = new PostgresqlConfig(postgresql.host(), postgresql.port(), empty,
                PostgresServer.USER, PostgresServer.PASSWORD, PostgresqlSslMode.DISABLE, null, 2,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        try (var c = java.sql.DriverManager.getConnection(emptyConfig.jdbcUrl(), PostgresServer.USER,
                PostgresServer.PASSWORD); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            row.next();
            assertThat(row.getInt(1)).as("no table made in the wrong database").isZero();
        }
        assertNoSqliteFile();
    }

    @Test
    void dataDirStillMeansTheSqliteStore() {
        Run run = run(new SessionsCommand(), "list", "--data-dir", dataDir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no " + EmbeddedDatabase.FILE_NAME + " in " + dataDir);
        assertNoSqliteFile();
    }

    private void assertNoSqliteFile() {
        assertThat(dataDir.resolve(EmbeddedDatabase.FILE_NAME)).as("no SQLite store made beside a PostgreSQL one")
                .doesNotExist();
    }
}
