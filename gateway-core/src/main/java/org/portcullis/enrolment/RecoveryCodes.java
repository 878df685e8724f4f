package org.portcullis.enrolment;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.portcullis.storage.Database;

/**
 * Recovery codes: after the first enrolment a user gets {@value #CODES_PER_SET} single-use codes, each accepted once
 * in place of a second factor (docs/secrets-and-codes.md).
 *
 * <h2>Codes</h2>
 * {@value #CODE_LENGTH} characters of {@link CodeAlphabet} (shown as {@code ABCDE-FGHJK}), ≈ 49 bits each from
 * {@link SecureRandom}: plenty against online guessing (which the caller's failure counters bound anyway), but within
 * reach of an offline search on a fast hash (2^49 SHA-256 is hours on a GPU).
 *
 * <h2>Storage</h2>
 * So they are stored as PBKDF2-HMAC-SHA256 (RFC 8018 §5.2, in every JDK, no new dependency) with a random 128-bit salt
 * per user and {@value #DEFAULT_ITERATIONS} iterations, recorded per row so the count can be raised later. That makes
 * an offline search of one code cost ~2^48 × 10^5 HMACs. A pepper derived from the encryption key was rejected: it
 * would make recovery codes unusable after {@code storage rotate-key} (they cannot be re-hashed without the codes),
 * and it would make the key a dependency of a feature that must work when the authenticator is lost. All codes of a
 * set share the salt so redemption costs one PBKDF2 evaluation, not ten; the database then looks the hash up.
 *
 * <p>Blocking (storage, and PBKDF2 of tens of milliseconds); never call on an event loop.
 */
public final class RecoveryCodes {

    public static final int CODES_PER_SET = 10;
    static final int CODE_LENGTH = 10;
    static final int GROUP_LENGTH = 5;
    public static final int DEFAULT_ITERATIONS = 100_000;
    static final int MIN_ITERATIONS = 1_000;
    static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final int iterations;

    public RecoveryCodes(Database database) {
        this(database, DEFAULT_ITERATIONS);
    }

    /** With another PBKDF2 iteration count (tests use the minimum, {@value #MIN_ITERATIONS}, to stay fast). */
    public RecoveryCodes(Database database, int iterations) {
        this.database = Objects.requireNonNull(database, "database");
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("RecoveryCodes: iterations must be at least " + MIN_ITERATIONS
                    + " but is " + iterations);
        }
        this.iterations = iterations;
    }

    /** Generates a new set for {@code user}, replacing (and so invalidating) any earlier set. */
    public RecoveryCodeSet generate(String user, Instant now) {
        InvitationCodes.rejectBadUser(user);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        List<String> codes = new ArrayList<>(CODES_PER_SET);
        List<byte[]> hashes = new ArrayList<>(CODES_PER_SET);
        while (codes.size() < CODES_PER_SET) {
            String code = CodeAlphabet.random(CODE_LENGTH);
            if (!codes.contains(code)) {
                codes.add(code);
                hashes.add(hash(code, salt, iterations));
            }
        }
        database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM recovery_codes WHERE user_name = ?")) {
                delete.setString(1, user);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO recovery_codes (user_name, code_index,"
                    + " salt, iterations, code_hash, created_ms, used_ms) VALUES (?, ?, ?, ?, ?, ?, NULL)")) {
                for (int i = 0; i < hashes.size(); i++) {
                    insert.setString(1, user);
                    insert.setInt(2, i);
                    insert.setBytes(3, salt);
                    insert.setInt(4, iterations);
                    insert.setBytes(5, hashes.get(i));
                    insert.setLong(6, now.toEpochMilli());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        return new RecoveryCodeSet(user, codes);
    }

    /**
     * Redeems {@code typed} (any case, dashes and spaces ignored) for {@code user}; marking it used is one
     * conditional update, so of concurrent redemptions of one code exactly one is {@link Redemption#ACCEPTED}.
     * Never {@link Redemption#EXPIRED}: recovery codes last until used or replaced.
     */
    public Redemption redeem(String user, CharSequence typed, Instant now) {
        InvitationCodes.rejectBadUser(user);
        String code = CodeAlphabet.normalise(typed, CODE_LENGTH);
        if (code == null) {
            return Redemption.UNKNOWN;
        }
        Optional<Salt> salt = saltOf(user);
        if (salt.isEmpty()) {
            return Redemption.UNKNOWN;
        }
        byte[] hash = hash(code, salt.get().salt(), salt.get().iterations()); // outside the write lock
        return database.write(c -> {
            try (PreparedStatement use = c.prepareStatement("UPDATE recovery_codes SET used_ms = ?"
                    + " WHERE user_name = ? AND code_hash = ? AND used_ms IS NULL")) {
                use.setLong(1, now.toEpochMilli());
                use.setString(2, user);
                use.setBytes(3, hash);
                if (use.executeUpdate() == 1) {
                    return Redemption.ACCEPTED;
                }
            }
            try (PreparedStatement used = c.prepareStatement(
                    "SELECT 1 FROM recovery_codes WHERE user_name = ? AND code_hash = ?")) {
                used.setString(1, user);
                used.setBytes(2, hash);
                try (ResultSet row = used.executeQuery()) {
                    return row.next() ? Redemption.ALREADY_USED : Redemption.UNKNOWN;
                }
            }
        });
    }

    /** How many of {@code user}'s codes are still unused (0 if none were generated). */
    public int remaining(String user) {
        return database.read(c -> {
            try (PreparedStatement count = c.prepareStatement(
                    "SELECT COUNT(*) FROM recovery_codes WHERE user_name = ? AND used_ms IS NULL")) {
                count.setString(1, user);
                try (ResultSet row = count.executeQuery()) {
                    return row.next() ? row.getInt(1) : 0;
                }
            }
        });
    }

    private record Salt(byte[] salt, int iterations) {
    }

    private Optional<Salt> saltOf(String user) {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT salt, iterations FROM recovery_codes WHERE user_name = ? LIMIT 1")) {
                select.setString(1, user);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(new Salt(row.getBytes(1), row.getInt(2)))
                            : Optional.<Salt>empty();
                }
            }
        });
    }

    static byte[] hash(String code, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(code.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
