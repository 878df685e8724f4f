package org.portcullis.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.storage.Database;

/**
 * The {@code encrypted_secrets} table: secrets (TOTP keys) stored only as {@link SecretBox} envelopes whose
 * context is the row's own {@link SecretContext}. Blocking (storage); never call on an event loop.
 *
 * <p>{@link #get} fails closed: an envelope under another key or one that does not verify throws
 * {@link SecretBoxException}; it never reads as "no secret", which would let the user enrol a new factor.
 */
public final class EncryptedSecrets {

    /** The {@code kind} of the {@link KeyCheck} sentinel row; not available to callers. */
    static final String KEY_CHECK_KIND = "key_check";

    private final Database database;
    private final SecretBox box;
    private final Clock clock;

    public EncryptedSecrets(Database database, SecretBox box, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.box = Objects.requireNonNull(box, "box");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores (or replaces) the secret of {@code context}. */
    public void put(SecretContext context, byte[] secret) {
        database.write(c -> {
            putIn(c, context, secret);
            return null;
        });
    }

    /**
     * {@link #put} inside a write transaction the caller already holds ({@link Database#write}), for a secret
     * that must be stored together with other rows (a generated signing key and its {@code signing_keys} row).
     */
    public void putIn(Connection connection, SecretContext context, byte[] secret) throws SQLException {
        rejectReservedKind(context);
        String envelope = box.seal(secret, context.associatedData());
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO encrypted_secrets"
                + " (kind, user_name, credential_id, envelope, updated_ms) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (kind, user_name, credential_id)"
                + " DO UPDATE SET envelope = excluded.envelope, updated_ms = excluded.updated_ms")) {
            upsert.setString(1, context.kind());
            upsert.setString(2, context.user());
            upsert.setString(3, context.credentialId());
            upsert.setString(4, envelope);
            upsert.setLong(5, clock.millis());
            upsert.executeUpdate();
        }
    }

    /**
     * The secret of {@code context}, or empty if there is no row.
     *
     * @throws SecretBoxException if the row exists but does not open under the configured key and its context
     */
    public Optional<byte[]> get(SecretContext context) {
        return database.read(c -> getIn(c, context));
    }

    /** {@link #get} on a connection the caller already holds (inside {@link Database#write} or {@code read}). */
    public Optional<byte[]> getIn(Connection connection, SecretContext context) throws SQLException {
        rejectReservedKind(context);
        String envelope;
        try (PreparedStatement select = connection.prepareStatement("SELECT envelope FROM encrypted_secrets"
                + " WHERE kind = ? AND user_name = ? AND credential_id = ?")) {
            select.setString(1, context.kind());
            select.setString(2, context.user());
            select.setString(3, context.credentialId());
            try (ResultSet rows = select.executeQuery()) {
                envelope = rows.next() ? rows.getString(1) : null;
            }
        }
        return envelope == null ? Optional.empty() : Optional.of(box.open(envelope, context.associatedData()));
    }

    /** Deletes the secret of {@code context}; whether there was one. */
    public boolean delete(SecretContext context) {
        rejectReservedKind(context);
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM encrypted_secrets"
                    + " WHERE kind = ? AND user_name = ? AND credential_id = ?")) {
                delete.setString(1, context.kind());
                delete.setString(2, context.user());
                delete.setString(3, context.credentialId());
                return delete.executeUpdate() > 0;
            }
        });
    }

    private static void rejectReservedKind(SecretContext context) {
        if (KEY_CHECK_KIND.equals(context.kind())) {
            throw new IllegalArgumentException("EncryptedSecrets: kind '" + KEY_CHECK_KIND + "' is reserved");
        }
    }
}
