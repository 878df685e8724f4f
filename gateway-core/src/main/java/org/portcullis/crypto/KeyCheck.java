package org.portcullis.crypto;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import org.portcullis.storage.Database;

/**
 * Start-up check that the configured {@code storage.encryption_key} is the key the store was encrypted under, so a
 * wrong key stops the gateway with "encrypted under key X, configured key is Y" instead of every TOTP secret
 * failing one by one at sign-in (or, worse, reading as absent and being enrolled anew).
 *
 * <p>A sentinel row ({@code kind = 'key_check'} in {@code encrypted_secrets}) holds a known value sealed under the
 * key; the first start with an empty store writes it. {@link #verify} opens the sentinel (proving the key, not only
 * its id) and checks that every other envelope carries the same key id (a cheap prefix check, no decryption).
 */
public final class KeyCheck {

    static final SecretContext SENTINEL = new SecretContext(EncryptedSecrets.KEY_CHECK_KIND, "", "");
    static final byte[] SENTINEL_PLAINTEXT = "portcullis key check v1".getBytes(StandardCharsets.US_ASCII);

    private KeyCheck() {
    }

    /**
     * Verifies (writing the sentinel on first use) that the store belongs to {@code box}'s key.
     *
     * @throws SecretBoxException with {@link SecretBoxException.Reason#WRONG_KEY} and both key ids in the message if
     *                            any envelope is under another key; {@code NOT_AUTHENTIC} if the sentinel was altered
     */
    public static void verify(Database database, SecretBox box, Clock clock) {
        Objects.requireNonNull(box, "box");
        database.write(c -> {
            String sentinel = readSentinel(c);
            if (sentinel == null) {
                rejectForeignEnvelopes(c, box.keyId());
                writeSentinel(c, box, clock);
                return null;
            }
            openSentinel(box, sentinel);
            rejectForeignEnvelopes(c, box.keyId());
            return null;
        });
    }

    static void openSentinel(SecretBox box, String envelope) {
        byte[] opened = box.open(envelope, SENTINEL.associatedData());
        if (!Arrays.equals(opened, SENTINEL_PLAINTEXT)) {
            throw new SecretBoxException(SecretBoxException.Reason.NOT_AUTHENTIC, box.keyId(),
                    "the key check row does not hold the expected value");
        }
    }

    static String readSentinel(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT envelope FROM encrypted_secrets"
                + " WHERE kind = ? AND user_name = '' AND credential_id = ''")) {
            select.setString(1, SENTINEL.kind());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    static void writeSentinel(Connection c, SecretBox box, Clock clock) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO encrypted_secrets"
                + " (kind, user_name, credential_id, envelope, updated_ms) VALUES (?, '', '', ?, ?)"
                + " ON CONFLICT (kind, user_name, credential_id)"
                + " DO UPDATE SET envelope = excluded.envelope, updated_ms = excluded.updated_ms")) {
            insert.setString(1, SENTINEL.kind());
            insert.setString(2, box.seal(SENTINEL_PLAINTEXT, SENTINEL.associatedData()));
            insert.setLong(3, clock.millis());
            insert.executeUpdate();
        }
    }

    private static void rejectForeignEnvelopes(Connection c, String keyId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT envelope FROM encrypted_secrets");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String stored = SecretBox.keyIdOf(rows.getString(1));
                if (!stored.equals(keyId)) {
                    throw SecretBox.wrongKey(stored, keyId);
                }
            }
        }
    }
}
