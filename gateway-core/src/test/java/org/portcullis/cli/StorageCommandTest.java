package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.crypto.EncryptedSecrets;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.KeyCheck;
import org.portcullis.crypto.SecretBox;
import org.portcullis.crypto.SecretContext;
import org.portcullis.storage.EmbeddedDatabase;
import picocli.CommandLine;

/** {@code storage rotate-key} run in-process against a real store. */
class StorageCommandTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC);
    private static final SecretContext ALICE = new SecretContext("totp", "alice", "cred-1");
    private static final byte[] SECRET = "alice-secret-20bytes".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dataDir;

    private final EncryptionKey oldKey = EncryptionKey.generate();
    private final EncryptionKey newKey = EncryptionKey.generate();

    record Run(int exitCode, String out, String err) {
    }

    private Run storage(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StorageCommand(env, () -> new BufferedReader(new StringReader(stdin)),
                CLOCK));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private void storeASecret() {
        try (EmbeddedDatabase db = EmbeddedDatabase.open(dataDir)) {
            KeyCheck.verify(db, new SecretBox(oldKey), CLOCK);
            new EncryptedSecrets(db, new SecretBox(oldKey), CLOCK).put(ALICE, SECRET);
        }
    }

    private byte[] readWith(EncryptionKey key) {
        try (EmbeddedDatabase db = EmbeddedDatabase.openExisting(dataDir)) {
            KeyCheck.verify(db, new SecretBox(key), CLOCK);
            return new EncryptedSecrets(db, new SecretBox(key), CLOCK).get(ALICE).orElseThrow();
        }
    }

    @Test
    void rotatesWithKeysFromStandardInputAndNeverPrintsThem() {
        storeASecret();

        Run run = storage(Map.of(), oldKey.revealBase64() + "\n" + newKey.revealBase64() + "\n",
                "rotate-key", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("re-encrypted 1 secret from key " + oldKey.id() + " to key " + newKey.id()
                + "; configure the new key as storage.encryption_key before starting the gateway\n");
        assertThat(run.out() + run.err()).doesNotContain(oldKey.revealBase64()).doesNotContain(newKey.revealBase64());
        assertThat(readWith(newKey)).isEqualTo(SECRET);
    }

    @Test
    void rotatesWithKeysFromTheEnvironment() {
        storeASecret();

        Run run = storage(Map.of("PORTCULLIS_OLD_KEY", oldKey.revealBase64(),
                "PORTCULLIS_NEW_KEY", newKey.revealBase64()), "", "rotate-key", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(readWith(newKey)).isEqualTo(SECRET);
    }

    @Test
    void aWrongOldKeyChangesNothingAndNamesTheKeyIds() {
        storeASecret();
        EncryptionKey wrong = EncryptionKey.generate();

        Run run = storage(Map.of(), wrong.revealBase64() + "\n" + newKey.revealBase64() + "\n",
                "rotate-key", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(StorageCommand.EXIT_FAILED);
        assertThat(run.err()).contains("encrypted under key " + oldKey.id()).contains(wrong.id())
                .contains("nothing was changed").doesNotContain(wrong.revealBase64());
        assertThat(readWith(oldKey)).isEqualTo(SECRET);
    }

    @Test
    void badOrMissingKeysAndAMissingStoreAreBadInput() {
        storeASecret();
        String notAKey = "hunter2-not-a-key";

        Run bad = storage(Map.of(), notAKey + "\n" + newKey.revealBase64() + "\n",
                "rotate-key", "--data-dir", dataDir.toString());
        Run missing = storage(Map.of(), oldKey.revealBase64() + "\n", "rotate-key", "--data-dir", dataDir.toString());
        Run noStore = storage(Map.of(), "", "rotate-key", "--data-dir", dataDir.resolve("nope").toString());

        assertThat(bad.exitCode()).isEqualTo(StorageCommand.EXIT_BAD_INPUT);
        assertThat(bad.err()).doesNotContain("hunter2");
        assertThat(missing.exitCode()).isEqualTo(StorageCommand.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("PORTCULLIS_NEW_KEY");
        assertThat(noStore.exitCode()).isEqualTo(StorageCommand.EXIT_BAD_INPUT);
        assertThat(readWith(oldKey)).isEqualTo(SECRET);
    }
}
