package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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

    @Test
    void printsACodeThatAliceCanRedeemOnceBeforeItExpires() {
        EmbeddedDatabase.open(dataDir).close();

        Run run = invite("Alice", "--data-dir", dataDir.toString(), "--expires", "2h",
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
    void refusesBadExpiryPortalUrlAndMissingStore() {
        EmbeddedDatabase.open(dataDir).close();
        String dir = dataDir.toString();

        assertThat(invite("alice", "--data-dir", dir, "--expires", "31d").exitCode()).isEqualTo(2);
        assertThat(invite("alice", "--data-dir", dir, "--expires", "soon").exitCode()).isEqualTo(2);
        assertThat(invite("alice", "--data-dir", dir, "--portal-url", "javascript:alert(1)").exitCode()).isEqualTo(2);
        assertThat(invite("alice", "--data-dir", dir, "--portal-url", "https://u:p@gate.example.org/").exitCode())
                .isEqualTo(2);
        assertThat(invite("alice", "--data-dir", dataDir.resolve("nope").toString()).exitCode()).isEqualTo(2);
    }
}
