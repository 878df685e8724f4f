package org.portcullis.server;

import java.time.Clock;
import org.portcullis.config.StorageBackend;
import org.portcullis.config.StorageConfig;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.KeyCheck;
import org.portcullis.crypto.SecretBox;
import org.portcullis.storage.Database;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.PostgresDatabase;

/**
 * Opens the configured store at start-up: the database under {@code storage.data_dir} (created {@code 0700} /
 * {@code 0600}, migrations applied), or the shared PostgreSQL database of {@code storage.postgresql} (migrations
 * applied by whichever node comes first), and a {@link KeyCheck} that {@code storage.encryption_key} is the key
 * the store's secrets were sealed with. Fails closed (SECURITY-RULES 10): an unopenable store or a wrong key stops the start with
 * a message naming the key ids, never the key.
 */
final class StorageStartup {
    private StorageStartup() {
    }

    /**
     * @throws org.portcullis.storage.StorageException   the store cannot be opened (permissions, not a directory, …)
     * @throws org.portcullis.crypto.SecretBoxException the store belongs to another key, or its key check was altered
     */
    static Database open(StorageConfig storage, Clock clock) {
        EncryptionKey key = EncryptionKey.parse(storage.encryptionKeyText());
        Database database = storage.backend() == StorageBackend.POSTGRESQL
                ? PostgresDatabase.open(storage.postgresql())
                : EmbeddedDatabase.open(storage.dataDir());
        try {
            KeyCheck.verify(database, new SecretBox(key), clock);
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }
}
