package org.portcullis.cli;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.storage.Database;

/**
 * What {@code users list} shows of each account from the store, for a roll-out ("who has not set up a second factor
 * yet?"): confirmed authenticator apps, usable security keys, unused recovery codes, and the last sign-in the store
 * knows of. The store keeps no sign-in log (that is the audit trail), so the last sign-in is the newest of: a session
 * still kept (created or last seen) and the last use of a second factor; {@code -} when it knows none.
 *
 * @param apps          confirmed TOTP authenticators
 * @param keys          security keys and passkeys not disabled
 * @param recoveryCodes recovery codes not used yet
 * @param lastSeenMs    epoch millis of the newest sign-in evidence, 0 if none
 */
record AccountFactors(int apps, int keys, int recoveryCodes, long lastSeenMs) {
    static final AccountFactors NONE = new AccountFactors(0, 0, 0, 0);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
            .withZone(ZoneOffset.UTC);

    /** A recovery code alone is not a second factor one signs in with every day: it does not count here. */
    boolean hasSecondFactor() {
        return apps > 0 || keys > 0;
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        if (apps > 0) {
            parts.add(apps + (apps == 1 ? " authenticator app" : " authenticator apps"));
        }
        if (keys > 0) {
            parts.add(keys + (keys == 1 ? " security key" : " security keys"));
        }
        if (parts.isEmpty()) {
            return "none";
        }
        if (recoveryCodes > 0) {
            parts.add(recoveryCodes + " recovery codes");
        }
        return String.join(", ", parts);
    }

    String lastSignIn() {
        return lastSeenMs == 0 ? "-" : TIME.format(Instant.ofEpochMilli(lastSeenMs));
    }

    /** Every account the store knows of, by canonical username. */
    static Map<String, AccountFactors> read(Database database) {
        return database.read(c -> {
            Map<String, long[]> counts = new HashMap<>();
            collect(c.prepareStatement("SELECT user_name, count(*), max(coalesce(last_used_ms, 0))"
                    + " FROM totp_credentials WHERE state = 'active' GROUP BY user_name"), counts, 0);
            collect(c.prepareStatement("SELECT user_name, count(*), max(coalesce(last_used_ms, 0))"
                    + " FROM webauthn_credentials WHERE disabled = 0 GROUP BY user_name"), counts, 1);
            collect(c.prepareStatement("SELECT user_name, count(*), 0 FROM recovery_codes WHERE used_ms IS NULL"
                    + " GROUP BY user_name"), counts, 2);
            collect(c.prepareStatement("SELECT user_name, 0,"
                    + " max(CASE WHEN created_ms > last_seen_ms THEN created_ms ELSE last_seen_ms END) FROM sessions"
                    + " GROUP BY user_name"), counts, -1);
            Map<String, AccountFactors> accounts = new HashMap<>();
            counts.forEach((user, n) -> accounts.put(user,
                    new AccountFactors((int) n[0], (int) n[1], (int) n[2], n[3])));
            return accounts;
        });
    }

    /** Adds each row's count at {@code slot} (none when negative) and keeps the newest time. */
    private static void collect(PreparedStatement select, Map<String, long[]> counts, int slot)
            throws java.sql.SQLException {
        try (select; ResultSet row = select.executeQuery()) {
            while (row.next()) {
                long[] n = counts.computeIfAbsent(row.getString(1), u -> new long[4]);
                if (slot >= 0) {
                    n[slot] = row.getLong(2);
                }
                n[3] = Math.max(n[3], row.getLong(3));
            }
        }
    }
}
