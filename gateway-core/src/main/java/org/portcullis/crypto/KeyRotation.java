package org.portcullis.crypto;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.portcullis.storage.Database;

/**
 * {@code portcullis storage rotate-key}: re-encrypts every envelope of {@code encrypted_secrets} (the sentinel
 * included) from the old key to the new one in one write transaction, so the store is never half under each key:
 * any envelope that does not open under the old key aborts the rotation and changes nothing.
 */
public final class KeyRotation {

    private KeyRotation() {
    }

    /** Re-encrypts everything under {@code newKey}; the number of secrets re-encrypted (the sentinel not counted). */
    public static int rotate(Database database, EncryptionKey oldKey, EncryptionKey newKey, Clock clock) {
        Objects.requireNonNull(oldKey, "oldKey");
        Objects.requireNonNull(newKey, "newKey");
        if (oldKey.sameKeyAs(newKey)) {
            throw new IllegalArgumentException("the new key is the old key (" + oldKey.id() + "); nothing to rotate");
        }
        SecretBox oldBox = new SecretBox(oldKey);
        SecretBox newBox = new SecretBox(newKey);
        return database.write(c -> {
            String sentinel = KeyCheck.readSentinel(c);
            if (sentinel != null) {
                KeyCheck.openSentinel(oldBox, sentinel); // wrong old key: stop before touching anything
            }
            record Row(SecretContext context, String envelope) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT kind, user_name, credential_id, envelope FROM encrypted_secrets");
                 ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(new SecretContext(result.getString(1), result.getString(2),
                            result.getString(3)), result.getString(4)));
                }
            }
            int secrets = 0;
            try (PreparedStatement update = c.prepareStatement("UPDATE encrypted_secrets SET envelope = ?,"
                    + " updated_ms = ? WHERE kind = ? AND user_name = ? AND credential_id = ?")) {
                for (Row row : rows) {
                    String aad = row.context().associatedData();
                    byte[] plaintext = oldBox.open(row.envelope(), aad);
                    try {
                        update.setString(1, newBox.seal(plaintext, aad));
                    } finally {
                        Arrays.fill(plaintext, (byte) 0);
                    }
                    update.setLong(2, clock.millis());
                    update.setString(3, row.context().kind());
                    update.setString(4, row.context().user());
                    update.setString(5, row.context().credentialId());
                    update.executeUpdate();
                    if (!row.context().kind().equals(EncryptedSecrets.KEY_CHECK_KIND)) {
                        secrets++;
                    }
                }
            }
            if (sentinel == null) {
                KeyCheck.writeSentinel(c, newBox, clock);
            }
            return secrets;
        });
    }
}
