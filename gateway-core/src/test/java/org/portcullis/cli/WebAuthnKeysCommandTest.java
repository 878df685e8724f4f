package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.factor.WebAuthnCredentials;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.webauthn.CredentialRecord;
import org.portcullis.webauthn.WebAuthnUser;
import picocli.CommandLine;

/** {@code users webauthn list|enable} run in-process against a real store. */
class WebAuthnKeysCommandTest {
    private static final String ID = "kX3pQ9vL2mN8rT5wY1zA7b";

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
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private void disabledKey() {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            WebAuthnCredentials keys = new WebAuthnCredentials(database, new SecureRandom());
            WebAuthnUser alice = keys.user("alice");
            keys.add(new CredentialRecord(ID, "alice", alice.userHandle(), new byte[] {1}, 7, new UUID(0, 0),
                    "Blue key", false, Instant.parse("2026-11-29T09:00:00Z"), null));
            keys.update(keys.findById(ID).orElseThrow().withDisabled(true));
        }
    }

    private boolean disabled() {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            return new WebAuthnCredentials(database, new SecureRandom()).findById(ID).orElseThrow().disabled();
        }
    }

    @Test
    void anAdminListsAndReEnablesADisabledKeyAndItIsAudited() {
        disabledKey();
        Run list = users("webauthn", "list", "Alice", "--data-dir", dataDir.toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains(ID).contains("Blue key").contains("DISABLED (clone_suspected)");

        Run enable = users("webauthn", "enable", "alice", ID.substring(0, 10), "--data-dir", dataDir.toString());
        assertThat(enable.exitCode()).as(enable.err()).isZero();
        assertThat(enable.out()).isEqualTo("re-enabled the key 'Blue key' of 'alice'" + System.lineSeparator());
        assertThat(disabled()).isFalse();
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            String detail = database.read(c -> {
                try (var select = c.prepareStatement("SELECT command, target, detail FROM admin_events");
                     var row = select.executeQuery()) {
                    return row.next() ? row.getString(1) + " " + row.getString(2) + " " + row.getString(3) : "";
                }
            });
            assertThat(detail).isEqualTo("users.webauthn.enable alice credential=" + ID + " was=clone_suspected");
        }

        Run again = users("webauthn", "enable", "alice", ID, "--data-dir", dataDir.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("is not disabled");
    }

    @Test
    void aShortOrUnknownIdIsRefused() {
        disabledKey();
        assertThat(users("webauthn", "enable", "alice", "kX3p", "--data-dir", dataDir.toString()).err())
                .contains("at least 8 characters");
        Run other = users("webauthn", "enable", "bob", ID, "--data-dir", dataDir.toString());
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("'bob' has no security key with id " + ID);
        assertThat(disabled()).isTrue();
    }
}
