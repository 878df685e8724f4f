package org.portcullis.signin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.session.Session;
import org.portcullis.session.SessionIdHash;
import org.portcullis.session.SessionStore;
import org.portcullis.session.SessionSummary;

/**
 * The gateway's session store, which also cuts the {@link LiveStreams} of every session it ends, right after the
 * store confirmed the change: sign-out, a session found expired, {@code delete} of any kind, and the old id of a
 * rotation. Every session change made in this process goes through here, so its streams end at once rather than at
 * the next check of {@link TunnelWatch} (SECURITY-RULES 23). Changes made by another process are the watch's.
 *
 * <p>A store call that throws ends nothing here (what it did is unknown); the watch then checks the store again.
 */
public final class StreamCuttingSessionStore implements SessionStore {
    private final SessionStore store;
    private final LiveStreams streams;
    private final Clock clock;

    /** {@code clock} tells a session deleted because it expired from one ended by its user. */
    public StreamCuttingSessionStore(SessionStore store, LiveStreams streams, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Session> get(SessionIdHash idHash) {
        return store.get(idHash);
    }

    @Override
    public void create(Session session) {
        store.create(session);
    }

    @Override
    public boolean compareAndSet(Session expected, Session replacement) {
        boolean changed = store.compareAndSet(expected, replacement);
        if (changed && !expected.idHash().equals(replacement.idHash())) {
            // A rotation: the old id stopped working, and with it what was opened under it.
            streams.endSession(expected.idHash(), StreamCloseReason.REVOKED);
        }
        return changed;
    }

    @Override
    public boolean delete(SessionIdHash idHash) {
        // Read first only when a stream will need its reason: expired (deleted by a request that found it so) or not
        // (sign-out). Sign-out is the only other in-process caller of a single delete.
        boolean watched = streams.entries().stream().anyMatch(entry -> entry.session().equals(idHash));
        StreamCloseReason reason = watched ? endReason(idHash) : StreamCloseReason.SIGN_OUT;
        boolean existed = store.delete(idHash);
        // Also when it was gone already: a stream of a session that does not exist has nothing to live on.
        streams.endSession(idHash, reason);
        return existed;
    }

    private StreamCloseReason endReason(SessionIdHash idHash) {
        Optional<Session> session;
        try {
            session = store.get(idHash);
        } catch (RuntimeException e) {
            return StreamCloseReason.REVOKED;
        }
        Instant now = clock.instant();
        if (session.isPresent() && !now.isBefore(session.get().absoluteExpiry())) {
            return StreamCloseReason.EXPIRED_ABSOLUTE;
        }
        if (session.isPresent() && !now.isBefore(session.get().idleExpiry())) {
            return StreamCloseReason.EXPIRED_IDLE;
        }
        return StreamCloseReason.SIGN_OUT;
    }

    @Override
    public int deleteByUser(String user) {
        int deleted = store.deleteByUser(user);
        streams.endUser(user, StreamCloseReason.REVOKED);
        return deleted;
    }

    @Override
    public List<SessionIdHash> deleteOthers(String user, SessionIdHash keep) {
        List<SessionIdHash> deleted = store.deleteOthers(user, keep);
        deleted.forEach(session -> streams.endSession(session, StreamCloseReason.REVOKED));
        return deleted;
    }

    @Override
    public int deleteByAttribute(String user, String attribute, String value) {
        int deleted = store.deleteByAttribute(user, attribute, value);
        if (deleted > 0) {
            // One sign-in signed out on every host. The stream entries do not carry attributes: ask the store which
            // of the user's sessions are gone.
            streams.endIf(entry -> entry.user().equals(user) && gone(entry.session()), StreamCloseReason.SIGN_OUT);
        }
        return deleted;
    }

    @Override
    public int deleteByIdPrefix(String prefix) {
        int deleted = store.deleteByIdPrefix(prefix);
        streams.endIf(entry -> entry.session().displayId().startsWith(prefix), StreamCloseReason.REVOKED);
        return deleted;
    }

    @Override
    public int deleteAll() {
        int deleted = store.deleteAll();
        streams.endIf(entry -> true, StreamCloseReason.REVOKED);
        return deleted;
    }

    @Override
    public List<SessionSummary> list(Optional<String> user) {
        return store.list(user);
    }

    @Override
    public int purgeExpired(Instant now) {
        int purged = store.purgeExpired(now);
        if (purged > 0) {
            // Purged because expired; the watch usually finds them first and tells idle from absolute.
            streams.endIf(entry -> gone(entry.session()), StreamCloseReason.EXPIRED_IDLE);
        }
        return purged;
    }

    /** Whether the session is no longer stored; a store that cannot tell counts as gone (cutting is the safe side). */
    private boolean gone(SessionIdHash session) {
        try {
            return store.get(session).isEmpty();
        } catch (RuntimeException e) {
            return true;
        }
    }
}
