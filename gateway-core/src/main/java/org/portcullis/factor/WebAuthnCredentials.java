package org.portcullis.factor;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.portcullis.storage.Database;
import org.portcullis.webauthn.CredentialRecord;
import org.portcullis.webauthn.CredentialRepository;
import org.portcullis.webauthn.WebAuthnUser;

/**
 * The security keys and passkeys of every user ({@code webauthn_credentials}, schema version 7), as the
 * {@link CredentialRepository} of the WebAuthn ceremonies, plus what the portal and the CLI need: names, removal
 * (never the user's last second factor), and the admin's re-enabling of a key disabled after a clone signal.
 *
 * <p>A credential id is the table's primary key, so it is unique across all users and a second registration of the
 * same id fails in the store, whatever the caller checked before. Each user has one random user handle
 * ({@code webauthn_users}), made on first use.
 *
 * <p>Blocking (storage); never call on an event loop.
 */
public final class WebAuthnCredentials implements CredentialRepository {

    /** Why a key is disabled: its signature counter went backwards (W3C WebAuthn §6.1.1). */
    public static final String REASON_CLONE_SUSPECTED = "clone_suspected";

    private static final String COLUMNS = "credential_id, user_name, user_handle, public_key_cose, sign_count,"
            + " aaguid, name, created_ms, last_used_ms, disabled, disabled_reason";

    private final Database database;
    private final SecureRandom random;

    public WebAuthnCredentials(Database database, SecureRandom random) {
        this.database = Objects.requireNonNull(database, "database");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A stored key with why it is disabled, if it is. */
    public record StoredKey(CredentialRecord record, Optional<String> disabledReason) {
        public String id() {
            return record.credentialId();
        }
    }

    /** The user as WebAuthn sees them, with the handle stored for them (made now, once, if there is none yet). */
    public WebAuthnUser user(String user) {
        Optional<String> existing = database.read(c -> handleIn(c, user));
        if (existing.isPresent()) {
            return new WebAuthnUser(user, existing.get());
        }
        WebAuthnUser fresh = WebAuthnUser.withRandomHandle(user, random);
        return database.write(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO webauthn_users (user_name, user_handle) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, user);
                insert.setString(2, fresh.userHandle());
                insert.executeUpdate();
            }
            return new WebAuthnUser(user, handleIn(c, user).orElseThrow());
        });
    }

    @Override
    public Optional<CredentialRecord> findById(String credentialId) {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM webauthn_credentials WHERE credential_id = ?")) {
                select.setString(1, credentialId);
                List<StoredKey> keys = rows(select);
                return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0).record());
            }
        });
    }

    @Override
    public List<CredentialRecord> findByUser(String user) {
        return keys(user).stream().map(StoredKey::record).toList();
    }

    /** Every key of {@code user}, disabled ones included, oldest first. */
    public List<StoredKey> keys(String user) {
        return database.read(c -> keysIn(c, user));
    }

    /** One key of {@code user}. */
    public Optional<StoredKey> find(String user, String credentialId) {
        return keys(user).stream().filter(k -> k.id().equals(credentialId)).findFirst();
    }

    /** Whether {@code user} has any key, disabled or not: then a password alone never signs them in. */
    public boolean hasAny(String user) {
        return database.read(c -> count(c, "SELECT count(*) FROM webauthn_credentials WHERE user_name = ?", user))
                > 0;
    }

    @Override
    public boolean add(CredentialRecord record) {
        return database.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO webauthn_credentials ("
                    + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, record.credentialId());
                insert.setString(2, record.user());
                insert.setString(3, record.userHandle());
                insert.setBytes(4, record.publicKeyCose());
                insert.setLong(5, record.signCount());
                insert.setString(6, record.aaguid().toString());
                insert.setString(7, record.name());
                insert.setLong(8, record.created().toEpochMilli());
                if (record.lastUsed() == null) {
                    insert.setNull(9, java.sql.Types.INTEGER);
                } else {
                    insert.setLong(9, record.lastUsed().toEpochMilli());
                }
                insert.setInt(10, record.disabled() ? 1 : 0);
                insert.setString(11, record.disabled() ? REASON_CLONE_SUSPECTED : null);
                return insert.executeUpdate() == 1;
            }
        });
    }

    /**
     * Stores the counter, last use and disabled flag of a record the ceremony returns. A record disabled here was
     * disabled by the ceremony after a counter regression, so its reason is {@value #REASON_CLONE_SUSPECTED}; only
     * {@link #enable} clears the flag.
     */
    @Override
    public boolean update(CredentialRecord record) {
        return database.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE webauthn_credentials SET sign_count = ?,"
                    + " last_used_ms = ?, disabled = CASE WHEN ? = 1 THEN 1 ELSE disabled END,"
                    // CASE, not SQLite's two-argument max(): PostgreSQL has no such function (GREATEST instead).
                    + " disabled_reason = CASE WHEN ? = 1"
                    + " THEN coalesce(disabled_reason, ?) ELSE disabled_reason END"
                    + " WHERE credential_id = ? AND user_name = ?")) {
                update.setLong(1, record.signCount());
                if (record.lastUsed() == null) {
                    update.setNull(2, java.sql.Types.INTEGER);
                } else {
                    update.setLong(2, record.lastUsed().toEpochMilli());
                }
                update.setInt(3, record.disabled() ? 1 : 0);
                update.setInt(4, record.disabled() ? 1 : 0);
                update.setString(5, REASON_CLONE_SUSPECTED);
                update.setString(6, record.credentialId());
                update.setString(7, record.user());
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Renames a key of {@code user}; false if there is no such key. */
    public boolean rename(String user, String credentialId, String name) {
        if (!TotpCredentials.validName(name)) {
            throw new IllegalArgumentException("a key's name must be 1 to " + TotpCredentials.MAX_NAME_LENGTH
                    + " characters without control characters");
        }
        return database.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE webauthn_credentials SET name = ?"
                    + " WHERE user_name = ? AND credential_id = ?")) {
                update.setString(1, name);
                update.setString(2, user);
                update.setString(3, credentialId);
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * Removes a key only if {@code user} keeps another usable second factor (an active authenticator app or an
     * enabled key), in one transaction: two parallel removals cannot leave the account with a password alone.
     */
    public boolean removeUnlessLast(String user, String credentialId) {
        return database.write(c -> {
            long others = usableFactorsIn(c, user) - (enabledIn(c, user, credentialId) ? 1 : 0);
            return others > 0 && deleteIn(c, user, credentialId);
        });
    }

    /** Removes every key of {@code user} (an admin's reset); returns how many. */
    public int removeAll(String user) {
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM webauthn_credentials WHERE user_name = ?")) {
                delete.setString(1, user);
                return delete.executeUpdate();
            }
        });
    }

    /** Re-enables a disabled key of {@code user} (admin only); false if there is no such disabled key. */
    public boolean enable(String user, String credentialId) {
        return database.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE webauthn_credentials SET disabled = 0,"
                    + " disabled_reason = NULL WHERE user_name = ? AND credential_id = ? AND disabled = 1")) {
                update.setString(1, user);
                update.setString(2, credentialId);
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * The second factors of {@code user} that can sign in, in the transaction of {@code c}: active authenticator
     * apps and enabled keys. The TOTP side calls this too, so "never the last factor" spans both kinds.
     */
    static long usableFactorsIn(Connection c, String user) throws SQLException {
        // Plain ? twice: PostgreSQL's driver has no numbered parameters (?1).
        try (PreparedStatement select = c.prepareStatement("SELECT"
                + " (SELECT count(*) FROM totp_credentials WHERE user_name = ? AND state = 'active')"
                + " + (SELECT count(*) FROM webauthn_credentials WHERE user_name = ? AND disabled = 0)")) {
            select.setString(1, user);
            select.setString(2, user);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private static boolean enabledIn(Connection c, String user, String credentialId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM webauthn_credentials"
                + " WHERE user_name = ? AND credential_id = ? AND disabled = 0")) {
            select.setString(1, user);
            select.setString(2, credentialId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static boolean deleteIn(Connection c, String user, String credentialId) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM webauthn_credentials WHERE user_name = ? AND credential_id = ?")) {
            delete.setString(1, user);
            delete.setString(2, credentialId);
            return delete.executeUpdate() == 1;
        }
    }

    private static long count(Connection c, String sql, String user) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, user);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private static Optional<String> handleIn(Connection c, String user) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT user_handle FROM webauthn_users WHERE user_name = ?")) {
            select.setString(1, user);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    private static List<StoredKey> keysIn(Connection c, String user) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                + " FROM webauthn_credentials WHERE user_name = ? ORDER BY created_ms, credential_id")) {
            select.setString(1, user);
            return rows(select);
        }
    }

    private static List<StoredKey> rows(PreparedStatement select) throws SQLException {
        List<StoredKey> keys = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                long lastUsed = row.getLong(9);
                Instant used = row.wasNull() ? null : Instant.ofEpochMilli(lastUsed);
                CredentialRecord record = new CredentialRecord(row.getString(1), row.getString(2), row.getString(3),
                        row.getBytes(4), row.getLong(5), UUID.fromString(row.getString(6)), row.getString(7),
                        row.getInt(10) == 1, Instant.ofEpochMilli(row.getLong(8)), used);
                keys.add(new StoredKey(record, Optional.ofNullable(row.getString(11))));
            }
        }
        return keys;
    }
}
