package org.portcullis.server;

import java.time.Clock;
import org.portcullis.config.StorageConfig;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.KeyCheck;
import org.portcullis.crypto.SecretBox;
import org.portcullis.storage.EmbeddedDatabase;

/**
 * Opens the configured local store at start-up: the database under {@code storage.data_dir} (created {@code 0700} /
 * {@code 0600}, migrations applied) and a {@link KeyCheck} that {@code storage.encryption_key} is the key the store's
 * secrets were sealed with. Fails closed (SECURITY-RULES 10): an unopenable store or a wrong key stops the start with
 * a message naming the key ids, never the key.
 */
final class StorageStartup {
    private StorageStartup() {
    }

    /**
     * @throws org.portcullis.storage.StorageException   the store cannot be opened (permissions, not a directory, …)
     * @throws org.portcullis.crypto.SecretBoxException the store belongs to another key, or its key check was altered
     */
    static EmbeddedDatabase open(StorageConfig storage, Clock clock) {
        EncryptionKey key = EncryptionKey.parse(storage.encryptionKeyText());
        EmbeddedDatabase database = EmbeddedDatabase.open(storage.dataDir());
        try {
            KeyCheck.verify(database, new SecretBox(key), clock);
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }
}
