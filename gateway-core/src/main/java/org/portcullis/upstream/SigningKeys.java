package org.portcullis.upstream;

import java.security.interfaces.ECPrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.config.IdentityConfig;
import org.portcullis.config.SigningKeyPem;
import org.portcullis.crypto.EncryptedSecrets;
import org.portcullis.crypto.SecretBox;
import org.portcullis.crypto.SecretBoxException;
import org.portcullis.crypto.SecretContext;
import org.portcullis.storage.Database;
import org.portcullis.storage.StorageException;

/**
 * Where the JWT signing key comes from: {@code identity.signing_key} when it is configured, otherwise a key the
 * gateway generates once and keeps in its store, so a restart (and every node sharing the store) signs with the same
 * key and upstreams' cached JWKS stay valid.
 *
 * <h2>Storage</h2>
 * The private key's PKCS#8 bytes are an AES-256-GCM envelope in {@code encrypted_secrets}
 * ({@link EncryptedSecrets}, context {@code jwt_signing_key||<kid>}), never plain text on disk; {@code signing_keys}
 * (migration 4) lists the key ids and when each was made, the oldest being the current key. Keeping the envelope in
 * {@code encrypted_secrets} means {@code storage rotate-key} re-encrypts it and the start-up key check covers it.
 * Look-up and creation run in one write transaction, so two processes starting together still end with one key.
 *
 * <h2>Fails closed</h2>
 * A stored key that does not open under the configured storage key ({@link SecretBoxException}), a listed key without
 * its envelope, or an envelope whose key does not hash to its id throws: the gateway must not quietly make a new key,
 * which would invalidate every upstream's cached JWKS without anyone knowing why. Blocking (storage): call at start-up
 * or on a storage thread, never on an event loop.
 */
public final class SigningKeys {
    static final String SECRET_KIND = "jwt_signing_key";

    private final Database database;
    private final EncryptedSecrets secrets;
    private final Clock clock;

    public SigningKeys(Database database, SecretBox box, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.secrets = new EncryptedSecrets(database, Objects.requireNonNull(box, "box"), clock);
    }

    /**
     * The key to sign with for this config.
     *
     * @param identity the config's {@code identity} section, or null
     * @param store    the store's keys, or null when no storage is configured
     * @throws IllegalStateException when there is neither a configured key nor a store (the config validator refuses
     *                               a route with {@code jwt} in that case, so this is a wiring error)
     */
    public static SigningKey forConfig(IdentityConfig identity, SigningKeys store) {
        if (identity != null && identity.signingKey() != null) {
            return SigningKey.of(identity.signingKey());
        }
        if (store == null) {
            throw new IllegalStateException("SigningKeys: no identity.signing_key and no storage to keep a key in");
        }
        return store.loadOrCreate();
    }

    /** The stored current key, made and stored first if there is none. */
    public SigningKey loadOrCreate() {
        return database.write(c -> {
            Optional<String> kid = currentKid(c);
            if (kid.isPresent()) {
                return load(c, kid.get());
            }
            SigningKey key = SigningKey.generate();
            byte[] pkcs8 = key.pkcs8();
            try {
                secrets.putIn(c, context(key.kid()), pkcs8);
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO signing_keys (kid, algorithm, created_ms) VALUES (?, ?, ?)")) {
                insert.setString(1, key.kid());
                insert.setString(2, SigningKey.ALGORITHM);
                insert.setLong(3, clock.millis());
                insert.executeUpdate();
            }
            return key;
        });
    }

    private SigningKey load(Connection c, String kid) throws SQLException {
        byte[] pkcs8 = secrets.getIn(c, context(kid)).orElseThrow(() -> new StorageException(
                "signing key " + kid + " is listed in signing_keys but has no encrypted_secrets row"));
        ECPrivateKey privateKey;
        try {
            privateKey = SigningKeyPem.decodePkcs8(pkcs8);
        } catch (SigningKeyPem.NotAKeyException e) {
            throw new StorageException("stored signing key " + kid + " is unusable: " + e.getMessage());
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        SigningKey key = SigningKey.of(privateKey);
        if (!key.kid().equals(kid)) {
            throw new StorageException("stored signing key " + kid + " does not match its id");
        }
        return key;
    }

    private static Optional<String> currentKid(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT kid FROM signing_keys ORDER BY created_ms, kid LIMIT 1");
             ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }

    static SecretContext context(String kid) {
        return new SecretContext(SECRET_KIND, "", kid);
    }
}
