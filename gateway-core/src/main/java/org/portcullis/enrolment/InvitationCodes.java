package org.portcullis.enrolment;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.portcullis.storage.Database;

/**
 * Enrolment codes issued by an admin out of band ({@code portcullis users invite alice}): the only way a user who
 * has no second factor yet may enrol one (SECURITY-RULES 15; a password alone never enrols a factor).
 *
 * <h2>Codes</h2>
 * {@value #CODE_LENGTH} characters of {@link CodeAlphabet} (shown as five groups of four), ≈ 98 bits from
 * {@link java.security.SecureRandom}. Single use, bound to one user, valid until {@code expiresAt} (exclusive).
 * Issuing a new code for a user deletes that user's unused earlier codes, so only the latest invitation works.
 *
 * <h2>Storage</h2>
 * Only SHA-256 of the code is stored ({@code enrolment_invitations}). A slow, salted hash protects low-entropy
 * secrets (passwords) against guessing; a code of ≈ 98 random bits cannot be guessed offline at any hash speed
 * (2^97 SHA-256 evaluations on average), so a fast unsalted hash loses nothing, and it lets redemption look the code
 * up by its hash in one indexed read. Online guessing is bounded by the sign-in failure counters of the caller.
 *
 * <p>Blocking (storage); never call on an event loop.
 */
public final class InvitationCodes {

    static final int CODE_LENGTH = 20;
    static final int GROUP_LENGTH = 4;
    public static final Duration MIN_VALIDITY = Duration.ofMinutes(1);
    public static final Duration MAX_VALIDITY = Duration.ofDays(30);
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);

    private final Database database;

    public InvitationCodes(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Issues a code for {@code user} (canonical account name), valid for {@code validity} from {@code now}. */
    public InvitationCode issue(String user, Duration validity, Instant now) {
        rejectBadUser(user);
        rejectBadValidity(validity);
        String code = CodeAlphabet.random(CODE_LENGTH);
        Instant expiresAt = now.plus(validity);
        database.write(c -> {
            try (PreparedStatement revoke = c.prepareStatement(
                    "DELETE FROM enrolment_invitations WHERE user_name = ? AND used_ms IS NULL")) {
                revoke.setString(1, user);
                revoke.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO enrolment_invitations"
                    + " (code_hash, user_name, issued_ms, expires_ms, used_ms) VALUES (?, ?, ?, ?, NULL)")) {
                insert.setBytes(1, CodeHashes.sha256(code));
                insert.setString(2, user);
                insert.setLong(3, now.toEpochMilli());
                insert.setLong(4, expiresAt.toEpochMilli());
                return insert.executeUpdate();
            }
        });
        return new InvitationCode(user, code, expiresAt);
    }

    /**
     * Redeems {@code typed} (any case, dashes and spaces ignored) for {@code user}: in one write transaction it is
     * checked and marked used, so of any number of concurrent redemptions (threads or processes) exactly one is
     * {@link Redemption#ACCEPTED}.
     */
    public Redemption redeem(String user, CharSequence typed, Instant now) {
        rejectBadUser(user);
        String code = CodeAlphabet.normalise(typed, CODE_LENGTH);
        if (code == null) {
            return Redemption.UNKNOWN;
        }
        byte[] hash = CodeHashes.sha256(code);
        return database.write(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT user_name, expires_ms, used_ms"
                    + " FROM enrolment_invitations WHERE code_hash = ?")) {
                select.setBytes(1, hash);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next() || !row.getString(1).equals(user)) {
                        return Redemption.UNKNOWN;
                    }
                    row.getLong(3);
                    if (!row.wasNull()) {
                        return Redemption.ALREADY_USED;
                    }
                    if (now.toEpochMilli() >= row.getLong(2)) {
                        return Redemption.EXPIRED;
                    }
                }
            }
            try (PreparedStatement use = c.prepareStatement("UPDATE enrolment_invitations SET used_ms = ?"
                    + " WHERE code_hash = ? AND used_ms IS NULL")) {
                use.setLong(1, now.toEpochMilli());
                use.setBytes(2, hash);
                return use.executeUpdate() == 1 ? Redemption.ACCEPTED : Redemption.ALREADY_USED;
            }
        });
    }

    static void rejectBadUser(String user) {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty() || user.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("user must be a non-empty account name without control characters");
        }
    }

    private static void rejectBadValidity(Duration validity) {
        Objects.requireNonNull(validity, "validity");
        if (validity.compareTo(MIN_VALIDITY) < 0 || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("an invitation must be valid for between " + MIN_VALIDITY.toMinutes()
                    + " minute and " + MAX_VALIDITY.toDays() + " days, not " + validity);
        }
    }
}
