package org.portcullis.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's session store, which publishes a {@link SessionInvalidation} for every change right after the store
 * confirmed it, so that no {@link SessionCache} on this node answers from the old state afterwards. Every session
 * change the gateway makes goes through here; a call that throws publishes nothing for what it may have done, but the
 * {@link SessionCacheKeeper} then fails its next check too, or sees the write, and empties the cache.
 */
public final class InvalidatingSessionStore implements SessionStore {
    private final SessionStore store;
    private final SessionInvalidations invalidations;

    public InvalidatingSessionStore(SessionStore store, SessionInvalidations invalidations) {
        this.store = Objects.requireNonNull(store, "store");
        this.invalidations = Objects.requireNonNull(invalidations, "invalidations");
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
        if (changed) {
            // Attributes, factors or the key changed (a rotation ends the old key): the cached copy is stale.
            invalidations.publish(new SessionInvalidation.OneSession(expected.idHash()));
        }
        return changed;
    }

    @Override
    public boolean delete(SessionIdHash idHash) {
        boolean existed = store.delete(idHash);
        invalidations.publish(new SessionInvalidation.OneSession(idHash));
        return existed;
    }

    @Override
    public int deleteByUser(String user) {
        int deleted = store.deleteByUser(user);
        invalidations.publish(new SessionInvalidation.OneUser(user));
        return deleted;
    }

    @Override
    public List<SessionIdHash> deleteOthers(String user, SessionIdHash keep) {
        List<SessionIdHash> deleted = store.deleteOthers(user, keep);
        deleted.forEach(idHash -> invalidations.publish(new SessionInvalidation.OneSession(idHash)));
        return deleted;
    }

    @Override
    public int deleteByAttribute(String user, String attribute, String value) {
        int deleted = store.deleteByAttribute(user, attribute, value);
        if (deleted > 0) {
            // The cache does not index attributes: the user's other sessions are read again, which costs one read.
            invalidations.publish(new SessionInvalidation.OneUser(user));
        }
        return deleted;
    }

    @Override
    public int deleteByIdPrefix(String prefix) {
        int deleted = store.deleteByIdPrefix(prefix);
        invalidations.publish(new SessionInvalidation.Everything());
        return deleted;
    }

    @Override
    public int deleteAll() {
        int deleted = store.deleteAll();
        invalidations.publish(new SessionInvalidation.Everything());
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
            // A purged session may have an idle-deadline write still queued here; reading again settles it.
            invalidations.publish(new SessionInvalidation.Everything());
        }
        return purged;
    }
}
