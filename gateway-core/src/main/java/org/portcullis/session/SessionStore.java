package org.portcullis.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where sessions live. The embedded default is {@link SqliteSessionStore}; a cluster store (Redis, PostgreSQL) only
 * has to implement these operations, which map onto GET / compare-and-set (WATCH-MULTI or a Lua script; a
 * {@code version} column) / DEL / a TTL of {@code min(idleExpiry, absoluteExpiry)}.
 *
 * <p>Every method blocks: call it from a {@link org.portcullis.storage.StorageExecutor} thread, never from an event
 * loop. Any failure is thrown (as {@link org.portcullis.storage.StorageException} for the embedded store) and the
 * caller refuses the request; a store must never answer "no such session" or "ok" when it does not know.
 *
 * <p>Revocation (logout, {@code portcullis sessions revoke}) must be effective on the very next request
 * (SECURITY-RULES 11). The only cache in front of a store is the {@link SessionCache}, which every change made through
 * {@link InvalidatingSessionStore} empties of the session before the change returns; a store shared by several nodes
 * has to carry the same {@link SessionInvalidation}s to every node.
 */
public interface SessionStore {

    /** The session under {@code idHash}, expired or not (expiry is the {@link SessionManager}'s call). */
    Optional<Session> get(SessionIdHash idHash);

    /** Stores a new session; fails if its key exists. */
    void create(Session session);

    /**
     * Atomically replaces {@code expected} by {@code replacement} if the stored session under {@code expected}'s key
     * still has {@code expected.version()}. The replacement's version must be one higher and its user the same. A
     * replacement under a different key is a rotation: the old key is deleted and the new one created in the same
     * atomic step, so there is never a moment with both or neither.
     *
     * @return false if the session changed or disappeared meanwhile (nothing was written)
     */
    boolean compareAndSet(Session expected, Session replacement);

    /** Deletes one session; true if it existed. */
    boolean delete(SessionIdHash idHash);

    /** Deletes every session of {@code user} (exact, canonical name); returns how many. */
    int deleteByUser(String user);

    /**
     * Deletes every session of {@code user} except {@code keep}, in one write transaction; returns the ids it deleted
     * (for the audit trail). A session of the user created after this step is not affected.
     */
    List<SessionIdHash> deleteOthers(String user, SessionIdHash keep);

    /**
     * Deletes every session of one sign-in: the sessions of {@code user} whose attribute {@code attribute} equals
     * {@code value} (the portal session and the host sessions made from it at each callback). Returns how many.
     */
    int deleteByAttribute(String user, String attribute, String value);

    /** Deletes every session whose display id starts with {@code prefix} (lower-case hex); returns how many. */
    int deleteByIdPrefix(String prefix);

    /** Deletes every session; returns how many. */
    int deleteAll();

    /** Summaries of all sessions, or of one user's, ordered by user and creation time. */
    List<SessionSummary> list(Optional<String> user);

    /** Deletes sessions whose idle or absolute expiry is at or before {@code now}; returns how many. */
    int purgeExpired(Instant now);
}
