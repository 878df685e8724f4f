package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.regulation.CounterKind;
import org.portcullis.regulation.Regulator;
import org.portcullis.regulation.SqliteFailureCounter;
import org.portcullis.regulation.Verdict;
import org.portcullis.storage.EmbeddedDatabase;
import picocli.CommandLine;

/** {@code users unlock} run in-process against a real store, registered under {@code users} as the lead will. */
class UnlockCommandTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    record Run(int exitCode, String out, String err) {
    }

    private Run users(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new UsersCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("portcullis: " + ex.getMessage());
            return 2;
        });
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private void lockOut(String account, CounterKind kind, int failures) throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            Regulator regulator = Regulator.withDefaults(new SqliteFailureCounter(database), CLOCK);
            for (int i = 0; i < failures; i++) {
                regulator.recordFailure(kind, account, InetAddress.getByName("192.0.2.1"));
            }
        }
    }

    private Verdict check(String account, CounterKind kind) throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            return Regulator.withDefaults(new SqliteFailureCounter(database), CLOCK)
                    .check(kind, account, InetAddress.getByName("198.51.100.1"));
        }
    }

    @Test
    void unlockEndsEveryLockOfTheAccountAndLeavesOthersLocked() throws Exception {
        lockOut("alice", CounterKind.PASSWORD, 100);
        lockOut("alice", CounterKind.TOTP, 5);
        lockOut("bob", CounterKind.PASSWORD, 5);
        assertThat(check("alice", CounterKind.PASSWORD)).isInstanceOf(Verdict.Locked.class);

        Run run = users("unlock", "Alice", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("unlocked 'alice' (2 counters cleared)\n");
        assertThat(check("alice", CounterKind.PASSWORD)).isEqualTo(Verdict.ALLOWED);
        assertThat(check("alice", CounterKind.TOTP)).isEqualTo(Verdict.ALLOWED);
        assertThat(check("bob", CounterKind.PASSWORD)).isInstanceOf(Verdict.Locked.class);
    }

    @Test
    void unlockingAnAccountWithNothingRecordedSaysSoAndSucceeds() throws Exception {
        EmbeddedDatabase.open(dataDir).close();
        Run run = users("unlock", "carol", "--data-dir", dataDir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("'carol' had no failed attempts recorded");
    }

    @Test
    void aDataDirWithoutADatabaseIsBadInputAndCreatesNothing() {
        Path missing = dataDir.resolve("nope");
        Run run = users("unlock", "alice", "--data-dir", missing.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no portcullis.db in " + missing);
        assertThat(missing).doesNotExist();
    }

    @Test
    void aStoreThatCannotBeOpenedIsAStoreError() throws Exception {
        EmbeddedDatabase.open(dataDir).close();
        Files.setPosixFilePermissions(dataDir.resolve(EmbeddedDatabase.FILE_NAME),
                PosixFilePermissions.fromString("rw-r--r--"));
        Run run = users("unlock", "alice", "--data-dir", dataDir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("chmod 600");
    }

    @Test
    void aNameWithControlCharactersOrNoDataDirIsBadInput() throws Exception {
        EmbeddedDatabase.open(dataDir).close();
        assertThat(users("unlock", "ali\nce", "--data-dir", dataDir.toString()).exitCode()).isEqualTo(2);
        assertThat(users("unlock", "alice").exitCode()).isEqualTo(2);
    }
}
