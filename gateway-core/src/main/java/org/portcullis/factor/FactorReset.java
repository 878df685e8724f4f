package org.portcullis.factor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import org.portcullis.storage.Database;

/**
 * Removes every second factor of one user in one transaction, for {@code portcullis users reset-mfa} (docs/totp.md,
 * "Admin guide"): the TOTP authenticators (active and pending), their encrypted secrets, the used time steps, the
 * security keys and passkeys, and the recovery codes. Afterwards the user has a password alone, which never signs in to a two-factor route and never
 * enrols a factor by itself (SECURITY-RULES 15): the admin's fresh invitation is the only way back.
 *
 * <p>Needs no encryption key: deleting a secret does not open it, so an admin can reset a user with only the data
 * directory. One transaction, so a crash never leaves a secret without its row or a row without its secret. Every
 * kind of factor a later release adds (WebAuthn credentials) belongs in {@link #TABLES}, so a reset stays complete.
 */
public final class FactorReset {

    /** Each table holding a user's second factors, with the statement that deletes that user's rows. */
    static final List<Deletion> TABLES = List.of(
            new Deletion("totp_credentials", "DELETE FROM totp_credentials WHERE user_name = ?"),
            new Deletion("encrypted_secrets", "DELETE FROM encrypted_secrets WHERE kind = '"
                    + TotpCredentials.SECRET_KIND + "' AND user_name = ?"),
            new Deletion("totp_used_steps", "DELETE FROM totp_used_steps WHERE user_name = ?"),
            new Deletion("recovery_codes", "DELETE FROM recovery_codes WHERE user_name = ?"),
            new Deletion("webauthn_credentials", "DELETE FROM webauthn_credentials WHERE user_name = ?"));

    /** One table's deletion; {@code sql} has exactly one parameter, the user. */
    record Deletion(String table, String sql) {
    }

    /**
     * What a reset removed.
     *
     * What an admin is told must be what the user could still sign in with, so used recovery codes and enrolments
     * never confirmed are counted apart from the usable ones.
     *
     * @param authenticatorApps   confirmed (active) TOTP authenticators
     * @param pendingEnrolments   TOTP enrolments started but never confirmed
     * @param securityKeys        security keys and passkeys
     * @param recoveryCodes       recovery codes not used yet (each would still have signed in once)
     * @param usedRecoveryCodes   recovery codes already used (kept as a record, no longer usable)
     * @param rows                every row deleted, secrets and used steps included
     */
    public record Removed(int authenticatorApps, int pendingEnrolments, int securityKeys, int recoveryCodes,
                          int usedRecoveryCodes, int rows) {
    }

    private FactorReset() {
    }

    /** Deletes every second factor of {@code user}; nothing is left that signs them in beyond the password. */
    public static Removed removeAll(Database database, String user) {
        Objects.requireNonNull(user, "user");
        return database.write(c -> {
            // Counted in the same transaction as the deletion, so the numbers are exactly what went.
            int authenticatorApps = count(c, "SELECT count(*) FROM totp_credentials WHERE user_name = ?"
                    + " AND state = 'active'", user);
            int pendingEnrolments = count(c, "SELECT count(*) FROM totp_credentials WHERE user_name = ?"
                    + " AND state = 'pending'", user);
            int recoveryCodes = count(c, "SELECT count(*) FROM recovery_codes WHERE user_name = ?"
                    + " AND used_ms IS NULL", user);
            int usedRecoveryCodes = count(c, "SELECT count(*) FROM recovery_codes WHERE user_name = ?"
                    + " AND used_ms IS NOT NULL", user);
            int securityKeys = 0;
            int rows = 0;
            for (Deletion deletion : TABLES) {
                int deleted = delete(c, deletion.sql(), user);
                rows += deleted;
                if (deletion.table().equals("webauthn_credentials")) {
                    securityKeys = deleted;
                }
            }
            return new Removed(authenticatorApps, pendingEnrolments, securityKeys, recoveryCodes, usedRecoveryCodes,
                    rows);
        });
    }

    private static int count(Connection c, String sql, String user) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, user);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        }
    }

    private static int delete(Connection c, String sql, String user) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(sql)) {
            delete.setString(1, user);
            return delete.executeUpdate();
        }
    }
}
