package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCodes;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.enrolment.Redemption;
import org.portcullis.storage.EmbeddedDatabase;
import picocli.CommandLine;

/** {@code invite} run in-process against a real store. */
class InviteCommandTest {
    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final Pattern CODE = Pattern.compile("': ([A-Z0-9-]{24})\n");

    @TempDir
    Path dataDir;

    record Run(int exitCode, String out, String err) {
    }

    private Run invite(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new InviteCommand(Clock.fixed(NOW, ZoneOffset.UTC)));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    /** A users file with alice, hashed at the minimum cost the real loader accepts. */
    private String usersFile() throws Exception {
        Path file = dataDir.resolve("users.yaml");
        String hash = new PasswordHasher(new Argon2Parameters(19456, 2, 1)).hash("correct horse".toCharArray());
        Files.writeString(file, "users:\n  - username: alice\n    email: alice@example.org\n    password: \""
                + hash + "\"\n");
        return file.toString();
    }

    @Test
    void printsACodeThatAliceCanRedeemOnceBeforeItExpires() throws Exception {
        EmbeddedDatabase.open(dataDir).close();

        Run run = invite("Alice", "--data-dir", dataDir.toString(), "--file", usersFile(), "--expires", "2h",
                "--portal-url", "https://gate.example.org/");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("enrolment code for 'alice': ")
                .contains("valid until 2026-03-01T11:00:00Z").contains("enrol at: https://gate.example.org/");
        Matcher code = CODE.matcher(run.out());
        assertThat(code.find()).isTrue();
        try (EmbeddedDatabase db = EmbeddedDatabase.openExisting(dataDir)) {
            InvitationCodes invitations = new InvitationCodes(db);
            assertThat(invitations.redeem("alice", code.group(1), NOW.plus(Duration.ofHours(2))))
                    .isEqualTo(Redemption.EXPIRED);
            assertThat(invitations.redeem("alice", code.group(1), NOW.plusSeconds(60))).isEqualTo(Redemption.ACCEPTED);
            assertThat(invitations.redeem("alice", code.group(1), NOW.plusSeconds(61)))
                    .isEqualTo(Redemption.ALREADY_USED);
        }
    }

    @Test
    void refusesANameThatIsNotAUserAndIssuesNothing() throws Exception {
        EmbeddedDatabase.open(dataDir).close();

        Run run = invite("nobody", "--data-dir", dataDir.toString(), "--file", usersFile());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: no user 'nobody' in " + dataDir.resolve("users.yaml")
                + " (add it first: portcullis users add)\n");
        Run unchecked = invite("alice", "--data-dir", dataDir.toString());
        assertThat(unchecked.exitCode()).as("without a users file the name cannot be checked").isEqualTo(2);
        assertThat(unchecked.err()).contains("give --config FILE (or --file USERS)");
        Run byEmail = invite("Alice@Example.org", "--data-dir", dataDir.toString(), "--file", usersFile());
        assertThat(byEmail.exitCode()).as(byEmail.err()).isZero();
        assertThat(byEmail.out()).contains("enrolment code for 'alice': ");
    }

    @Test
    void refusesBadExpiryPortalUrlAndMissingStore() throws Exception {
        EmbeddedDatabase.open(dataDir).close();
        String dir = dataDir.toString();
        String users = usersFile();

        assertThat(invite("alice", "--data-dir", dir, "--file", users, "--expires", "31d").exitCode()).isEqualTo(2);
        assertThat(invite("alice", "--data-dir", dir, "--file", users, "--expires", "soon").exitCode()).isEqualTo(2);
        assertThat(invite("alice", "--data-dir", dir, "--file", users, "--portal-url", "javascript:alert(1)").exitCode()).isEqualTo(2);
        assertThat(invite("alice", "--data-dir", dir, "--file", users, "--portal-url", "https://u:p@gate.example.org/").exitCode())
                .isEqualTo(2);
        assertThat(invite("alice", "--data-dir", dataDir.resolve("nope").toString(), "--file", users).exitCode()).isEqualTo(2);
    }
}
