package org.portcullis.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.storage.Database;
import org.portcullis.storage.StoreUnderTest;

/** Encrypted rows, the start-up key check and key rotation against a real SQLite store. */
/* Runs on both backends: the SQLite file and a fresh PostgreSQL database (StoreUnderTest). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class KeyStorageTest {
    @Parameter
    String backend;
    StoreUnderTest backendStore;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC);
    private static final SecretContext ALICE = new SecretContext("totp", "alice", "cred-1");
    private static final SecretContext BOB = new SecretContext("totp", "bob", "cred-1");
    private static final byte[] ALICE_SECRET = "alice-secret-20bytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOB_SECRET = "bob-secret-20bytes!!".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dataDir;

    @BeforeEach
    void freshStore() {
        backendStore = StoreUnderTest.fresh(backend, dataDir);
    }

    private final EncryptionKey oldKey = EncryptionKey.generate();
    private final EncryptionKey newKey = EncryptionKey.generate();

    private Database storeWithTwoSecrets() {
        Database db = backendStore.open();
        KeyCheck.verify(db, new SecretBox(oldKey), CLOCK);
        EncryptedSecrets secrets = new EncryptedSecrets(db, new SecretBox(oldKey), CLOCK);
        secrets.put(ALICE, ALICE_SECRET);
        secrets.put(BOB, BOB_SECRET);
        return db;
    }

    private static List<String> envelopes(Database db) {
        return db.read(c -> {
            List<String> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT envelope FROM encrypted_secrets");
                 ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    all.add(rows.getString(1));
                }
            }
            return all;
        });
    }

    @Test
    void secretsAreStoredEncryptedAndReadBack() {
        try (Database db = storeWithTwoSecrets()) {
            EncryptedSecrets secrets = new EncryptedSecrets(db, new SecretBox(oldKey), CLOCK);

            assertThat(secrets.get(ALICE)).hasValue(ALICE_SECRET);
            assertThat(secrets.get(new SecretContext("totp", "carol", "cred-1"))).isEmpty();
            assertThat(envelopes(db)).hasSize(3).allSatisfy(e -> assertThat(e)
                    .startsWith("v1:" + oldKey.id() + ":").doesNotContain("secret"));
            assertThat(secrets.delete(ALICE)).isTrue();
            assertThat(secrets.get(ALICE)).isEmpty();
        }
    }

    @Test
    void anEnvelopeCopiedIntoAnotherUsersRowIsRefusedNotReturned() {
        try (Database db = storeWithTwoSecrets()) {
            db.write(c -> {
                try (PreparedStatement swap = c.prepareStatement("UPDATE encrypted_secrets SET envelope = (SELECT"
                        + " envelope FROM encrypted_secrets WHERE user_name = 'alice') WHERE user_name = 'bob'")) {
                    return swap.executeUpdate();
                }
            });
            EncryptedSecrets secrets = new EncryptedSecrets(db, new SecretBox(oldKey), CLOCK);

            assertThatThrownBy(() -> secrets.get(BOB))
                    .isInstanceOf(SecretBoxException.class)
                    .extracting(e -> ((SecretBoxException) e).reason())
                    .isEqualTo(SecretBoxException.Reason.NOT_AUTHENTIC);
            assertThat(secrets.get(ALICE)).hasValue(ALICE_SECRET);
        }
    }

    @Test
    void startingWithAnotherKeyStopsWithBothKeyIds() {
        storeWithTwoSecrets().close();
        try (Database db = backendStore.open()) {
            assertThatThrownBy(() -> KeyCheck.verify(db, new SecretBox(newKey), CLOCK))
                    .isInstanceOf(SecretBoxException.class)
                    .hasMessageContaining("encrypted under key " + oldKey.id())
                    .hasMessageContaining("configured storage.encryption_key is " + newKey.id());
            KeyCheck.verify(db, new SecretBox(oldKey), CLOCK); // the right key passes
        }
    }

    @Test
    void aMissingSentinelDoesNotHideSecretsUnderAnotherKey() {
        try (Database db = storeWithTwoSecrets()) {
            db.write(c -> c.createStatement().executeUpdate("DELETE FROM encrypted_secrets WHERE kind = 'key_check'"));

            assertThatThrownBy(() -> KeyCheck.verify(db, new SecretBox(newKey), CLOCK))
                    .hasMessageContaining("encrypted under key " + oldKey.id());
        }
    }

    @Test
    void rotationReEncryptsEverythingAndTheOldKeyOpensNothing() {
        try (Database db = storeWithTwoSecrets()) {
            int rotated = KeyRotation.rotate(db, oldKey, newKey, CLOCK);

            assertThat(rotated).isEqualTo(2);
            assertThat(envelopes(db)).hasSize(3).allSatisfy(e -> assertThat(e).startsWith("v1:" + newKey.id() + ":"));
            KeyCheck.verify(db, new SecretBox(newKey), CLOCK);
            assertThatThrownBy(() -> KeyCheck.verify(db, new SecretBox(oldKey), CLOCK))
                    .hasMessageContaining("encrypted under key " + newKey.id());
            EncryptedSecrets withNew = new EncryptedSecrets(db, new SecretBox(newKey), CLOCK);
            assertThat(withNew.get(ALICE)).hasValue(ALICE_SECRET);
            assertThat(withNew.get(BOB)).hasValue(BOB_SECRET);
            SecretBox oldBox = new SecretBox(oldKey);
            for (String envelope : envelopes(db)) {
                for (SecretContext context : List.of(ALICE, BOB, KeyCheck.SENTINEL)) {
                    assertThatThrownBy(() -> oldBox.open(envelope, context.associatedData()))
                            .isInstanceOf(SecretBoxException.class);
                }
            }
        }
    }

    @Test
    void rotationWithTheWrongOldKeyChangesNothing() {
        try (Database db = storeWithTwoSecrets()) {
            List<String> before = envelopes(db);

            assertThatThrownBy(() -> KeyRotation.rotate(db, EncryptionKey.generate(), newKey, CLOCK))
                    .hasMessageContaining("encrypted under key " + oldKey.id());
            assertThat(envelopes(db)).containsExactlyInAnyOrderElementsOf(before);
        }
    }

    @Test
    void oneTamperedRowAbortsTheWholeRotation() {
        try (Database db = storeWithTwoSecrets()) {
            db.write(c -> c.createStatement().executeUpdate("UPDATE encrypted_secrets SET envelope ="
                    + " (SELECT envelope FROM encrypted_secrets WHERE user_name = 'alice') WHERE user_name = 'bob'"));
            List<String> before = envelopes(db);

            assertThatThrownBy(() -> KeyRotation.rotate(db, oldKey, newKey, CLOCK))
                    .isInstanceOf(SecretBoxException.class);
            assertThat(envelopes(db)).containsExactlyInAnyOrderElementsOf(before);
        }
    }

    @Test
    void rotatingToTheSameKeyIsRefused() {
        try (Database db = storeWithTwoSecrets()) {
            assertThatThrownBy(() -> KeyRotation.rotate(db, oldKey, EncryptionKey.parse(oldKey.revealBase64()), CLOCK))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining(oldKey.revealBase64());
        }
    }
}
