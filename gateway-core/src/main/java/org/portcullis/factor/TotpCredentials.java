package org.portcullis.factor;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.crypto.EncryptedSecrets;
import org.portcullis.crypto.SecretBox;
import org.portcullis.crypto.SecretContext;
import org.portcullis.storage.Database;
import org.portcullis.totp.TotpAlgorithm;
import org.portcullis.totp.TotpParameters;
import org.portcullis.totp.TotpSecret;

/**
 * The TOTP authenticators of every user ({@code totp_credentials}). The secret of each lives only in
 * {@code encrypted_secrets} under the context {@code totp|<user>|<credential id>} (the GCM associated data), so a
 * secret copied into another user's or credential's row no longer opens; it is written in the same transaction as its
 * row and deleted with it.
 *
 * <p>A new authenticator starts {@link TotpCredential.State#PENDING}: shown to the user, not usable to sign in. It
 * becomes active only through {@link #activate}, which the portal calls after the user typed a valid code from it
 * (issue 5 §4). Starting a new enrolment drops the user's earlier pending one.
 *
 * <p>Blocking (storage); never call on an event loop. A secret that does not open under the configured key throws
 * ({@link org.portcullis.crypto.SecretBoxException}): it is never read as "no factor".
 */
public final class TotpCredentials {

    /** The {@link SecretContext#kind()} of TOTP secrets. */
    public static final String SECRET_KIND = "totp";
    /** The longest name a user may give an authenticator. */
    public static final int MAX_NAME_LENGTH = 64;
    static final int ID_BYTES = 8;

    private final Database database;
    private final EncryptedSecrets secrets;
    private final Clock clock;
    private final SecureRandom random;

    public TotpCredentials(Database database, SecretBox box, Clock clock, SecureRandom random) {
        this.database = Objects.requireNonNull(database, "database");
        this.secrets = new EncryptedSecrets(database, box, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Generates a secret and stores a pending authenticator for {@code user} with it, replacing the user's earlier
     * pending one. Returns the credential and its secret, which the caller shows once (QR code, manual key).
     */
    public Enrolment startEnrolment(String user, String name, TotpParameters parameters) {
        rejectBadName(name);
        TotpSecret secret = TotpSecret.generate(random, parameters.algorithm());
        byte[] idBytes = new byte[ID_BYTES];
        random.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        Instant now = clock.instant();
        TotpCredential credential = new TotpCredential(user, id, name, parameters, now, Optional.empty(),
                TotpCredential.State.PENDING);
        database.write(c -> {
            for (TotpCredential pending : listIn(c, user)) {
                if (!pending.active()) {
                    deleteIn(c, user, pending.id());
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO totp_credentials (user_name,"
                    + " credential_id, name, algorithm, digits, period_seconds, window_steps, state, created_ms,"
                    + " last_used_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, NULL)")) {
                insert.setString(1, user);
                insert.setString(2, id);
                insert.setString(3, name);
                insert.setString(4, parameters.algorithm().name());
                insert.setInt(5, parameters.digits());
                insert.setInt(6, parameters.periodSeconds());
                insert.setInt(7, parameters.window());
                insert.setLong(8, now.toEpochMilli());
                insert.executeUpdate();
            }
            secrets.putIn(c, context(user, id), secret.bytes());
            return null;
        });
        return new Enrolment(credential, secret);
    }

    /** A pending credential and its secret, fresh from {@link #startEnrolment}. */
    public record Enrolment(TotpCredential credential, TotpSecret secret) {
    }

    /** Makes a pending authenticator usable; false if there is no such pending one (already active, or gone). */
    public boolean activate(String user, String id) {
        return database.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE totp_credentials SET state = 'active'"
                    + " WHERE user_name = ? AND credential_id = ? AND state = 'pending'")) {
                update.setString(1, user);
                update.setString(2, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Every authenticator of {@code user}, pending ones included, oldest first. */
    public List<TotpCredential> list(String user) {
        return database.read(c -> listIn(c, user));
    }

    /** The active authenticators of {@code user}, oldest first. */
    public List<TotpCredential> active(String user) {
        return list(user).stream().filter(TotpCredential::active).toList();
    }

    /** Whether {@code user} has at least one active authenticator (then a password alone never signs them in). */
    public boolean hasActive(String user) {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM totp_credentials"
                    + " WHERE user_name = ? AND state = 'active' LIMIT 1")) {
                select.setString(1, user);
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }

    /** One credential of {@code user}, pending or active. */
    public Optional<TotpCredential> find(String user, String id) {
        return list(user).stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * The secret of {@code credential}.
     *
     * @throws IllegalStateException the row exists but its secret is missing (never read as "no factor")
     */
    public TotpSecret secretOf(TotpCredential credential) {
        byte[] bytes = secrets.get(context(credential.user(), credential.id())).orElseThrow(() ->
                new IllegalStateException("TOTP credential " + credential.id() + " of " + credential.user()
                        + " has no secret in encrypted_secrets"));
        return TotpSecret.of(bytes);
    }

    /** Records that {@code id} was just used to sign in. */
    public void touch(String user, String id) {
        database.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE totp_credentials SET last_used_ms = ?"
                    + " WHERE user_name = ? AND credential_id = ?")) {
                update.setLong(1, clock.millis());
                update.setString(2, user);
                update.setString(3, id);
                return update.executeUpdate();
            }
        });
    }

    /** Renames {@code id}; false if {@code user} has no such authenticator. */
    public boolean rename(String user, String id, String name) {
        rejectBadName(name);
        return database.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE totp_credentials SET name = ?"
                    + " WHERE user_name = ? AND credential_id = ?")) {
                update.setString(1, name);
                update.setString(2, user);
                update.setString(3, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Removes {@code id} and its secret; false if {@code user} has no such authenticator. */
    public boolean remove(String user, String id) {
        return database.write(c -> deleteIn(c, user, id));
    }

    /**
     * Removes {@code id} only if {@code user} keeps at least one other usable second factor (another active
     * authenticator or an enabled security key), in one transaction (two parallel removals cannot leave the user
     * with none).
     */
    public boolean removeUnlessLast(String user, String id) {
        return database.write(c -> {
            boolean thisActive = listIn(c, user).stream().anyMatch(t -> t.active() && t.id().equals(id));
            long others = WebAuthnCredentials.usableFactorsIn(c, user) - (thisActive ? 1 : 0);
            return others > 0 && deleteIn(c, user, id);
        });
    }

    /** True if {@code name} is 1 to {@value #MAX_NAME_LENGTH} characters, not blank, without control characters. */
    public static boolean validName(String name) {
        return name != null && !name.isBlank() && name.length() <= MAX_NAME_LENGTH
                && name.chars().noneMatch(Character::isISOControl);
    }

    private static void rejectBadName(String name) {
        if (!validName(name)) {
            throw new IllegalArgumentException("an authenticator's name must be 1 to " + MAX_NAME_LENGTH
                    + " characters without control characters");
        }
    }

    private static SecretContext context(String user, String id) {
        return new SecretContext(SECRET_KIND, user, id);
    }

    private boolean deleteIn(Connection c, String user, String id) throws SQLException {
        boolean deleted;
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM totp_credentials WHERE user_name = ? AND credential_id = ?")) {
            delete.setString(1, user);
            delete.setString(2, id);
            deleted = delete.executeUpdate() == 1;
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM encrypted_secrets"
                + " WHERE kind = ? AND user_name = ? AND credential_id = ?")) {
            delete.setString(1, SECRET_KIND);
            delete.setString(2, user);
            delete.setString(3, id);
            delete.executeUpdate();
        }
        return deleted;
    }

    private static List<TotpCredential> listIn(Connection c, String user) throws SQLException {
        List<TotpCredential> all = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT credential_id, name, algorithm, digits,"
                + " period_seconds, window_steps, state, created_ms, last_used_ms FROM totp_credentials"
                + " WHERE user_name = ? ORDER BY created_ms, credential_id")) {
            select.setString(1, user);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    TotpParameters parameters = new TotpParameters(TotpAlgorithm.valueOf(row.getString(3)),
                            row.getInt(4), row.getInt(5), row.getInt(6));
                    long lastUsed = row.getLong(9);
                    Optional<Instant> used = row.wasNull() ? Optional.empty()
                            : Optional.of(Instant.ofEpochMilli(lastUsed));
                    all.add(new TotpCredential(user, row.getString(1), row.getString(2), parameters,
                            Instant.ofEpochMilli(row.getLong(8)), used,
                            "active".equals(row.getString(7)) ? TotpCredential.State.ACTIVE
                                    : TotpCredential.State.PENDING));
                }
            }
        }
        return all;
    }
}
