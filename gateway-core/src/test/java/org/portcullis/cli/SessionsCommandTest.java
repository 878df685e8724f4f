package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.policy.AuthFactor;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionSettings;
import org.portcullis.session.SessionValidation;
import org.portcullis.session.SqliteSessionStore;
import org.portcullis.storage.EmbeddedDatabase;
import picocli.CommandLine;

class SessionsCommandTest {

    static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    IssuedSession alice;
    IssuedSession aliceFull;
    IssuedSession bob;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void sessions() {
        try (EmbeddedDatabase db = EmbeddedDatabase.open(dataDir)) {
            SessionManager manager = manager(db);
            alice = manager.start("alice", AuthFactor.PASSWORD);
            aliceFull = manager.rotate(manager.start("alice", AuthFactor.PASSWORD).id(), AuthFactor.TOTP)
                    .orElseThrow();
            bob = manager.start("bob", AuthFactor.PASSWORD);
        }
    }

    static SessionManager manager(EmbeddedDatabase db) {
        return new SessionManager(new SqliteSessionStore(db), SessionSettings.defaults(), CLOCK, new SecureRandom());
    }

    int run(String... args) {
        CommandLine commandLine = new CommandLine(new SessionsCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void listShowsDisplayIdsUsersAndFactorsButNoSecret() {
        int exit = run("list", "--data-dir", dataDir.toString());
        assertThat(exit).isEqualTo(0);
        String text = out.toString();
        assertThat(text).contains(alice.session().displayId(), aliceFull.session().displayId(),
                bob.session().displayId());
        assertThat(text).contains("password,totp").contains("alice").contains("bob").endsWith("3 sessions\n");
        for (IssuedSession s : new IssuedSession[] {alice, aliceFull, bob}) {
            assertThat(text).doesNotContain(s.id().cookieValue());
            assertThat(text).doesNotContain(java.util.HexFormat.of().formatHex(s.session().idHash().bytes()));
        }
    }

    @Test
    void listFiltersByUser() {
        assertThat(run("list", "--user", "bob", "--data-dir", dataDir.toString())).isZero();
        assertThat(out.toString()).contains(bob.session().displayId()).doesNotContain("alice")
                .endsWith("1 session\n");
    }

    @Test
    void revokeByUserEndsThoseSessionsOnTheirNextRequest() {
        assertThat(run("revoke", "--user", "alice", "--data-dir", dataDir.toString())).isZero();
        assertThat(out.toString()).isEqualTo("revoked 2 sessions\n");
        try (EmbeddedDatabase db = EmbeddedDatabase.open(dataDir)) {
            SessionManager manager = manager(db);
            assertThat(manager.validate(alice.id())).isInstanceOf(SessionValidation.Unknown.class);
            assertThat(manager.validate(aliceFull.id())).isInstanceOf(SessionValidation.Unknown.class);
            assertThat(manager.validate(bob.id())).isInstanceOf(SessionValidation.Valid.class);
        }
    }

    @Test
    void revokeByDisplayIdPrefix() {
        String prefix = bob.session().displayId().substring(0, 6).toUpperCase(java.util.Locale.ROOT);
        assertThat(run("revoke", "--id-prefix", prefix, "--data-dir", dataDir.toString())).isZero();
        assertThat(out.toString()).isEqualTo("revoked 1 session\n");
    }

    @Test
    void revokeAll() {
        assertThat(run("revoke", "--all", "--data-dir", dataDir.toString())).isZero();
        assertThat(out.toString()).isEqualTo("revoked 3 sessions\n");
    }

    @Test
    void revokeNeedsExactlyOneSelector() {
        assertThat(run("revoke", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(run("revoke", "--all", "--user", "bob", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("exactly one of --user, --id-prefix, --all");
        assertThat(run("list", "--data-dir", dataDir.toString())).isZero();
        assertThat(out.toString()).endsWith("3 sessions\n"); // nothing was revoked
    }

    @Test
    void revokeRefusesShortOrNonHexPrefixes() {
        assertThat(run("revoke", "--id-prefix", "abc", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(run("revoke", "--id-prefix", "abcd%", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("4 to 8 hex digits");
    }

    @Test
    void aWrongDataDirIsBadInputAndCreatesNothing() {
        Path typo = dataDir.resolveSibling(dataDir.getFileName() + "-typo");
        assertThat(run("list", "--data-dir", typo.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no portcullis.db in");
        assertThat(typo).doesNotExist();
    }
}
