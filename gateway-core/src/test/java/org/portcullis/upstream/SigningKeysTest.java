package org.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.IdentityConfig;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.KeyCheck;
import org.portcullis.crypto.KeyRotation;
import org.portcullis.crypto.SecretBox;
import org.portcullis.crypto.SecretBoxException;
import org.portcullis.policy.AuthFactor;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.storage.Database;
import org.portcullis.storage.StoreUnderTest;
import org.portcullis.storage.StorageException;

/** The generated signing key in a real store: made once, encrypted, the same after a restart and a key rotation. */
/* Runs on both backends: the SQLite file and a fresh PostgreSQL database (StoreUnderTest). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class SigningKeysTest {
    @Parameter
    String backend;
    StoreUnderTest backendStore;

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @BeforeEach
    void freshStore() {
        backendStore = StoreUnderTest.fresh(backend, dataDir);
    }

    final EncryptionKey storageKey = EncryptionKey.generate();

    SigningKeys keys(Database db, EncryptionKey key) {
        return new SigningKeys(db, new SecretBox(key), CLOCK);
    }

    static List<String> column(Database db, String sql) {
        return db.read(c -> {
            List<String> values = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        });
    }

    @Test
    void loadingTwiceGivesTheSameKeyAndOneRow() {
        try (Database db = backendStore.open()) {
            SigningKey first = keys(db, storageKey).loadOrCreate();
            SigningKey second = keys(db, storageKey).loadOrCreate();
            assertThat(second.kid()).isEqualTo(first.kid());
            assertThat(second.privateKey().getS()).isEqualTo(first.privateKey().getS());
            assertThat(column(db, "SELECT kid FROM signing_keys")).containsExactly(first.kid());
            assertThat(column(db, "SELECT created_ms FROM signing_keys"))
                    .containsExactly(String.valueOf(CLOCK.millis()));
        }
    }

    @Test
    void aRestartKeepsTheKeyAndTokensSignedBeforeItStillVerify() throws Exception {
        String token;
        String kid;
        String jwksBefore;
        try (Database db = backendStore.open()) {
            SigningKey key = keys(db, storageKey).loadOrCreate();
            kid = key.kid();
            jwksBefore = JwksDocument.of(key).json();
            token = new JwtSigner(key, "portcullis", CLOCK).sign(TestUsers.alice(), "records.example.org",
                    EnumSet.of(AuthFactor.PASSWORD), CLOCK.instant(), Duration.ofSeconds(60));
        }
        try (Database db = backendStore.open()) {
            SigningKey key = keys(db, storageKey).loadOrCreate();
            assertThat(key.kid()).isEqualTo(kid);
            assertThat(JwksDocument.of(key).json()).isEqualTo(jwksBefore);
            assertThat(JwtSignerTest.verifies(JwksDocument.of(key).json(), token)).isTrue();
        }
    }

    @Test
    void theStoredKeyIsAnEnvelopeNeverThePrivateKey() throws Exception {
        SigningKey key;
        try (Database db = backendStore.open()) {
            key = keys(db, storageKey).loadOrCreate();
            List<String> envelopes = column(db, "SELECT envelope FROM encrypted_secrets WHERE kind = 'jwt_signing_key'"
                    + " AND user_name = '' AND credential_id = '" + key.kid() + "'");
            assertThat(envelopes).singleElement().asString().startsWith("v1:" + storageKey.id() + ":");
        }
        if (!backendStore.isSqlite()) {
            return; // the bytes on disk checked below are SQLite's file
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (var files = Files.list(dataDir)) {
            for (Path f : files.toList()) {
                all.write(Files.readAllBytes(f)); // the database and any -wal/-shm file
            }
        }
        byte[] file = all.toByteArray();
        String fileText = HexFormat.of().formatHex(file);
        assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as("the files hold the data")
                .contains(key.kid());
        byte[] pkcs8 = key.pkcs8();
        assertThat(fileText).doesNotContain(HexFormat.of().formatHex(pkcs8, pkcs8.length - 32, pkcs8.length))
                .doesNotContain(HexFormat.of().formatHex(Base64Url.fixedLength(key.privateKey().getS(), 32)));
        assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(Base64.getEncoder().encodeToString(pkcs8));
    }

    @Test
    void aWrongStorageKeyFailsClosedInsteadOfMakingANewKey() {
        String kid;
        try (Database db = backendStore.open()) {
            kid = keys(db, storageKey).loadOrCreate().kid();
        }
        try (Database db = backendStore.open()) {
            assertThatThrownBy(() -> keys(db, EncryptionKey.generate()).loadOrCreate())
                    .isInstanceOf(SecretBoxException.class);
            assertThat(column(db, "SELECT kid FROM signing_keys")).containsExactly(kid);
        }
    }

    @Test
    void aListedKeyWithoutItsEnvelopeFailsClosed() {
        try (Database db = backendStore.open()) {
            keys(db, storageKey).loadOrCreate();
            db.write(c -> c.createStatement().executeUpdate(
                    "DELETE FROM encrypted_secrets WHERE kind = 'jwt_signing_key'"));
            assertThatThrownBy(() -> keys(db, storageKey).loadOrCreate())
                    .isInstanceOf(StorageException.class).hasMessageContaining("has no encrypted_secrets row");
        }
    }

    @Test
    void anEnvelopeMovedToAnotherKidDoesNotOpen() {
        try (Database db = backendStore.open()) {
            String kid = keys(db, storageKey).loadOrCreate().kid();
            String other = "A".repeat(43);
            db.write(c -> {
                c.createStatement().executeUpdate("UPDATE encrypted_secrets SET credential_id = '" + other
                        + "' WHERE credential_id = '" + kid + "'");
                return c.createStatement().executeUpdate("UPDATE signing_keys SET kid = '" + other + "'");
            });
            assertThatThrownBy(() -> keys(db, storageKey).loadOrCreate())
                    .isInstanceOf(SecretBoxException.class);
        }
    }

    @Test
    void storageKeyRotationAndTheStartUpKeyCheckCoverTheSigningKey() {
        EncryptionKey newKey = EncryptionKey.generate();
        String kid;
        try (Database db = backendStore.open()) {
            KeyCheck.verify(db, new SecretBox(storageKey), CLOCK);
            kid = keys(db, storageKey).loadOrCreate().kid();
            KeyRotation.rotate(db, storageKey, newKey, CLOCK);
        }
        try (Database db = backendStore.open()) {
            KeyCheck.verify(db, new SecretBox(newKey), CLOCK);
            assertThat(keys(db, newKey).loadOrCreate().kid()).isEqualTo(kid);
            assertThatThrownBy(() -> KeyCheck.verify(db, new SecretBox(storageKey), CLOCK))
                    .isInstanceOf(SecretBoxException.class);
        }
    }

    @Test
    void aConfiguredKeyWinsOverTheStore() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPrivateKey configured = (ECPrivateKey) generator.generateKeyPair().getPrivate();
        try (Database db = backendStore.open()) {
            SigningKey key = SigningKeys.forConfig(new IdentityConfig(null, configured), keys(db, storageKey));
            assertThat(key.kid()).isEqualTo(SigningKey.of(configured).kid());
            assertThat(column(db, "SELECT kid FROM signing_keys")).as("nothing generated").isEmpty();

            SigningKey stored = SigningKeys.forConfig(new IdentityConfig("portcullis", null), keys(db, storageKey));
            assertThat(SigningKeys.forConfig(null, keys(db, storageKey)).kid()).isEqualTo(stored.kid());
        }
        assertThatThrownBy(() -> SigningKeys.forConfig(null, null)).isInstanceOf(IllegalStateException.class);
    }
}
