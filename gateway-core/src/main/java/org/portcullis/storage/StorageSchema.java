package org.portcullis.storage;

import java.util.List;

/**
 * Every migration of {@code portcullis.db}, in order, in one place, so features added by later issues (factors,
 * lockouts, enrolment codes) append their tables here with the next version number.
 */
public final class StorageSchema {

    /**
     * Version 1, sessions. The key is SHA-256 of the session id, never the id itself: the database file, a backup or
     * a {@code sqlite3} session on the host never yields a cookie that would sign anyone in. Times are epoch
     * milliseconds (UTC). {@code factors} and {@code attributes} are small text maps encoded by the session store.
     */
    static final Migration SESSIONS = new Migration(1, "sessions", List.of(
            "CREATE TABLE sessions ("
                    + " id_hash BLOB PRIMARY KEY CHECK (length(id_hash) = 32),"
                    + " display_id TEXT NOT NULL,"
                    + " user_name TEXT NOT NULL,"
                    + " created_ms INTEGER NOT NULL,"
                    + " last_seen_ms INTEGER NOT NULL,"
                    + " idle_expiry_ms INTEGER NOT NULL,"
                    + " absolute_expiry_ms INTEGER NOT NULL,"
                    + " factors TEXT NOT NULL,"
                    + " attributes TEXT NOT NULL,"
                    + " version INTEGER NOT NULL"
                    + ") WITHOUT ROWID",
            "CREATE INDEX sessions_by_user ON sessions (user_name)",
            "CREATE INDEX sessions_by_display_id ON sessions (display_id)",
            "CREATE INDEX sessions_by_idle_expiry ON sessions (idle_expiry_ms)",
            "CREATE INDEX sessions_by_absolute_expiry ON sessions (absolute_expiry_ms)"));

    /**
     * Version 2, failure counters of {@code org.portcullis.regulation} (docs/regulation.md). One row per counter
     * ({@code password}, {@code totp}, …), subject kind ({@code account} or {@code address}) and subject (canonical
     * account name, or an IPv4 address or IPv6 /64 prefix). {@code recent_failures_ms} lists the epoch-millisecond
     * times of the failures still inside the sliding window (at most the limit, so a row stays small);
     * {@code locked_until_ms} is 0 when the subject was never locked.
     */
    static final Migration REGULATION_FAILURES = new Migration(2, "regulation failure counters", List.of(
            "CREATE TABLE regulation_failures ("
                    + " counter TEXT NOT NULL CHECK (length(counter) > 0),"
                    + " subject_kind TEXT NOT NULL CHECK (subject_kind IN ('account', 'address')),"
                    + " subject TEXT NOT NULL CHECK (length(subject) > 0),"
                    + " recent_failures_ms TEXT NOT NULL,"
                    + " consecutive_failures INTEGER NOT NULL CHECK (consecutive_failures >= 0),"
                    + " locked_until_ms INTEGER NOT NULL,"
                    + " last_failure_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (counter, subject_kind, subject)"
                    + ") WITHOUT ROWID",
            "CREATE INDEX regulation_failures_by_subject ON regulation_failures (subject_kind, subject)",
            "CREATE INDEX regulation_failures_by_last_failure ON regulation_failures (last_failure_ms)"));

    /**
     * Version 3, secrets at rest and one-time codes (docs/secrets-and-codes.md).
     * <ul>
     *   <li>{@code encrypted_secrets}: AES-256-GCM envelopes of {@code org.portcullis.crypto}; the context (GCM
     *       associated data) of a row is {@code kind|user_name|credential_id}, so envelopes cannot be moved between
     *       rows. The row {@code kind = 'key_check'} is the start-up sentinel of {@code KeyCheck}.</li>
     *   <li>{@code enrolment_invitations}: SHA-256 of each admin-issued enrolment code, never the code;
     *       {@code used_ms} is NULL until it is redeemed (once).</li>
     *   <li>{@code recovery_codes}: PBKDF2-HMAC-SHA256 of each recovery code with the user's salt and the iteration
     *       count used; {@code used_ms} is NULL until it is redeemed (once).</li>
     * </ul>
     * Times are epoch milliseconds (UTC).
     */
    static final Migration SECRETS_AND_CODES = new Migration(3, "encrypted secrets, invitations, recovery codes",
            List.of(
                    "CREATE TABLE encrypted_secrets ("
                            + " kind TEXT NOT NULL CHECK (length(kind) > 0),"
                            + " user_name TEXT NOT NULL,"
                            + " credential_id TEXT NOT NULL,"
                            + " envelope TEXT NOT NULL,"
                            + " updated_ms INTEGER NOT NULL,"
                            + " PRIMARY KEY (kind, user_name, credential_id)"
                            + ") WITHOUT ROWID",
                    "CREATE TABLE enrolment_invitations ("
                            + " code_hash BLOB PRIMARY KEY CHECK (length(code_hash) = 32),"
                            + " user_name TEXT NOT NULL CHECK (length(user_name) > 0),"
                            + " issued_ms INTEGER NOT NULL,"
                            + " expires_ms INTEGER NOT NULL,"
                            + " used_ms INTEGER"
                            + ") WITHOUT ROWID",
                    "CREATE INDEX enrolment_invitations_by_user ON enrolment_invitations (user_name)",
                    "CREATE TABLE recovery_codes ("
                            + " user_name TEXT NOT NULL CHECK (length(user_name) > 0),"
                            + " code_index INTEGER NOT NULL CHECK (code_index >= 0),"
                            + " salt BLOB NOT NULL CHECK (length(salt) >= 16),"
                            + " iterations INTEGER NOT NULL CHECK (iterations > 0),"
                            + " code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),"
                            + " created_ms INTEGER NOT NULL,"
                            + " used_ms INTEGER,"
                            + " PRIMARY KEY (user_name, code_index)"
                            + ") WITHOUT ROWID"));

    /**
     * Version 4, the JWT signing keys of {@code org.portcullis.upstream.SigningKeys} (docs/upstream-identity.md), for
     * a gateway without {@code identity.signing_key}: one row per generated ES256 key, named by its RFC 7638
     * thumbprint ({@code kid}, 43 base64url characters). The private key itself is not in this table: it is an
     * {@code encrypted_secrets} envelope with context {@code jwt_signing_key||<kid>}, so {@code storage rotate-key}
     * re-encrypts it and the start-up key check covers it like every other secret. The oldest row is the current key.
     */
    static final Migration SIGNING_KEYS = new Migration(4, "jwt signing keys", List.of(
            "CREATE TABLE signing_keys ("
                    + " kid TEXT PRIMARY KEY CHECK (length(kid) = 43),"
                    + " algorithm TEXT NOT NULL CHECK (algorithm = 'ES256'),"
                    + " created_ms INTEGER NOT NULL"
                    + ") WITHOUT ROWID"));

    /**
     * Version 5, admin commands waiting for the audit trail. A command-line tool runs in its own process and must not
     * write the gateway's audit file (one writer keeps the file whole, and later its chain); it records what it did
     * here right after the change, and the running gateway moves each row into the audit trail and deletes it
     * ({@code org.portcullis.audit.AdminEventRelay}). Times are epoch milliseconds (UTC).
     */
    static final Migration ADMIN_EVENTS = new Migration(5, "admin commands waiting for the audit trail", List.of(
            "CREATE TABLE admin_events ("
                    + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " at_ms INTEGER NOT NULL,"
                    + " command TEXT NOT NULL CHECK (length(command) > 0),"
                    + " outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),"
                    + " actor TEXT NOT NULL,"
                    + " target TEXT,"
                    + " detail TEXT"
                    + ")"));

    /**
     * Version 6, TOTP second factors of {@code org.portcullis.factor} (docs/totp.md).
     * <ul>
     *   <li>{@code totp_credentials}: one row per authenticator of a user: its name, its own parameters (so changing
     *       defaults never breaks an enrolled app), when it was added and last used, and whether it is
     *       {@code pending} (shown, not yet confirmed with a code from the app) or {@code active}. The secret is not
     *       here: it is the {@code encrypted_secrets} envelope with context {@code totp|<user>|<credential_id>}.</li>
     *   <li>{@code totp_used_steps}: the time steps already accepted per user. The primary key
     *       {@code (user_name, step)} makes "accept this step once" one atomic insert, also for two gateways on one
     *       store; a step at or below the newest one used is refused as well (RFC 6238 §5.2).</li>
     * </ul>
     */
    static final Migration TOTP_CREDENTIALS = new Migration(6, "totp credentials and used time steps", List.of(
            "CREATE TABLE totp_credentials ("
                    + " user_name TEXT NOT NULL CHECK (length(user_name) > 0),"
                    + " credential_id TEXT NOT NULL CHECK (length(credential_id) > 0),"
                    + " name TEXT NOT NULL CHECK (length(name) > 0),"
                    + " algorithm TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),"
                    + " digits INTEGER NOT NULL CHECK (digits IN (6, 8)),"
                    + " period_seconds INTEGER NOT NULL CHECK (period_seconds BETWEEN 15 AND 120),"
                    + " window_steps INTEGER NOT NULL CHECK (window_steps IN (0, 1)),"
                    + " state TEXT NOT NULL CHECK (state IN ('pending', 'active')),"
                    + " created_ms INTEGER NOT NULL,"
                    + " last_used_ms INTEGER,"
                    + " PRIMARY KEY (user_name, credential_id)"
                    + ") WITHOUT ROWID",
            "CREATE TABLE totp_used_steps ("
                    + " user_name TEXT NOT NULL CHECK (length(user_name) > 0),"
                    + " step INTEGER NOT NULL,"
                    + " credential_id TEXT NOT NULL,"
                    + " used_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (user_name, step)"
                    + ") WITHOUT ROWID"));

    /**
     * Version 7: WebAuthn security keys and passkeys (docs/webauthn.md).
     * <ul>
     *   <li>{@code webauthn_users}: the random, opaque user handle of each user who registered a key (W3C WebAuthn
     *       §14.6.1: the handle must not be the user name), made once and reused for every key of the user.</li>
     *   <li>{@code webauthn_credentials}: one row per key. The primary key is the credential id alone, so an id is
     *       unique across all users (§7.1 step 26). The public key is the CBOR COSE_Key: public, so not in
     *       {@code encrypted_secrets}. {@code disabled} with a {@code disabled_reason} after a signature counter
     *       went backwards (a clone signal, §6.1.1), until an admin re-enables the key.</li>
     * </ul>
     */
    static final Migration WEBAUTHN_CREDENTIALS = new Migration(7, "webauthn credentials", List.of(
            "CREATE TABLE webauthn_users ("
                    + " user_name TEXT NOT NULL PRIMARY KEY CHECK (length(user_name) > 0),"
                    + " user_handle TEXT NOT NULL UNIQUE CHECK (length(user_handle) > 0)"
                    + ") WITHOUT ROWID",
            "CREATE TABLE webauthn_credentials ("
                    + " credential_id TEXT NOT NULL PRIMARY KEY CHECK (length(credential_id) > 0),"
                    + " user_name TEXT NOT NULL CHECK (length(user_name) > 0),"
                    + " user_handle TEXT NOT NULL,"
                    + " public_key_cose BLOB NOT NULL,"
                    + " sign_count INTEGER NOT NULL CHECK (sign_count >= 0),"
                    + " aaguid TEXT NOT NULL,"
                    + " name TEXT NOT NULL CHECK (length(name) > 0),"
                    + " created_ms INTEGER NOT NULL,"
                    + " last_used_ms INTEGER,"
                    + " disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),"
                    + " disabled_reason TEXT"
                    + ") WITHOUT ROWID",
            "CREATE INDEX webauthn_credentials_by_user ON webauthn_credentials (user_name)"));

    /**
     * Version 8: where each audit trail ended when last forced to disk ({@code org.portcullis.audit.AuditAnchors},
     * docs/audit-log.md). The hash chain cannot show lines removed from its end: the shorter trail is a valid chain.
     * The audit writer records here, after each batch it forced to disk, the {@code event.sequence} and
     * {@code event.hash} of the last line, so {@code audit verify --config} and the next start can tell a trail that
     * lost its newest lines. One row per trail, named by the absolute path of its active file.
     */
    static final Migration AUDIT_ANCHORS = new Migration(8, "audit trail anchors", List.of(
            "CREATE TABLE audit_anchors ("
                    + " trail TEXT NOT NULL PRIMARY KEY CHECK (length(trail) > 0),"
                    + " last_sequence INTEGER NOT NULL CHECK (last_sequence > 0),"
                    + " last_hash TEXT NOT NULL CHECK (length(last_hash) = 64),"
                    + " updated_ms INTEGER NOT NULL"
                    + ") WITHOUT ROWID"));

    /**
     * Version 9, the long-lived streams open now (docs/live-connections.md): written by the running gateway when a
     * stream opens and ends and about once a second for its byte counts, emptied at the gateway's start, so that
     * {@code portcullis sessions list}, another process, shows each session's open remote connections. The session
     * appears by its display id only.
     */
    static final Migration OPEN_STREAMS = new Migration(9, "open streams", List.of(
            "CREATE TABLE open_streams ("
                    + " stream_id INTEGER PRIMARY KEY,"
                    + " session_display_id TEXT NOT NULL,"
                    + " user_name TEXT NOT NULL,"
                    + " kind TEXT NOT NULL,"
                    + " target TEXT NOT NULL,"
                    + " route TEXT NOT NULL,"
                    + " source TEXT NOT NULL,"
                    + " factors TEXT NOT NULL,"
                    + " opened_ms INTEGER NOT NULL,"
                    + " bytes_from_client INTEGER NOT NULL,"
                    + " bytes_to_client INTEGER NOT NULL"
                    + ")",
            "CREATE INDEX open_streams_by_session ON open_streams (session_display_id)"));

    /**
     * Version 10, the short-lived single-use state a cluster on PostgreSQL without Redis shares
     * ({@code cluster.PostgresChallengeStore}, {@code PostgresCallbackCodeStore}, {@code PostgresTokenStore};
     * docs/cluster.md, "Without Redis"). A SQLite single node keeps these in memory and leaves the tables empty; they
     * exist on both engines so that both have one schema ({@code storage migrate} compares the tables). Every key is a
     * hash or a session binding, never a code, token or session id; times are epoch milliseconds (UTC), checked
     * against the gateway's clock, and rows past {@code expires_ms} are swept.
     * <ul>
     *   <li>{@code webauthn_challenges}: the one outstanding challenge per session binding and purpose.</li>
     *   <li>{@code sso_callback_codes}: pending SSO callbacks by the SHA-256 of their code.</li>
     *   <li>{@code shared_tokens}: remote-access tokens by kind and hex SHA-256; {@code value} (sealed with a key only
     *       the token gives) is NULL once {@code spent}, and the row stays until its expiry so a second use is told
     *       apart from a made-up token.</li>
     * </ul>
     */
    static final Migration SHARED_SINGLE_USE = new Migration(10, "shared challenges, callback codes, tokens", List.of(
            "CREATE TABLE webauthn_challenges ("
                    + " binding TEXT NOT NULL CHECK (length(binding) > 0),"
                    + " purpose TEXT NOT NULL CHECK (length(purpose) > 0),"
                    + " challenge BLOB NOT NULL,"
                    + " expires_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (binding, purpose)"
                    + ") WITHOUT ROWID",
            "CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges (expires_ms)",
            "CREATE TABLE sso_callback_codes ("
                    + " code_hash BLOB PRIMARY KEY CHECK (length(code_hash) = 32),"
                    + " host TEXT NOT NULL,"
                    + " portal_session BLOB NOT NULL,"
                    + " return_path TEXT NOT NULL,"
                    + " state_binding TEXT NOT NULL,"
                    + " issued_ms INTEGER NOT NULL,"
                    + " expires_ms INTEGER NOT NULL"
                    + ") WITHOUT ROWID",
            "CREATE INDEX sso_callback_codes_by_expiry ON sso_callback_codes (expires_ms)",
            "CREATE TABLE shared_tokens ("
                    + " kind TEXT NOT NULL CHECK (length(kind) > 0),"
                    + " hash TEXT NOT NULL CHECK (length(hash) = 64),"
                    + " value TEXT,"
                    + " spent INTEGER NOT NULL CHECK (spent IN (0, 1)),"
                    + " expires_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (kind, hash)"
                    + ") WITHOUT ROWID",
            "CREATE INDEX shared_tokens_by_expiry ON shared_tokens (expires_ms)"));

    /** All migrations of this release, oldest first. */
    public static final List<Migration> MIGRATIONS = List.of(SESSIONS, REGULATION_FAILURES, SECRETS_AND_CODES,
            SIGNING_KEYS, ADMIN_EVENTS, TOTP_CREDENTIALS, WEBAUTHN_CREDENTIALS, AUDIT_ANCHORS, OPEN_STREAMS,
            SHARED_SINGLE_USE);

    private StorageSchema() {
    }
}
