package org.portcullis.session;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded in-memory copy of the sessions this node has recently validated, so that a signed-in request is decided
 * on the event loop without a store read (issue 14). Only {@link SessionManager} reads and fills it; it holds no
 * policy of its own: every hit is still checked against the idle and absolute deadlines with the injected clock and
 * the timeouts of the request's config ({@link SessionManager#cached}), and the account against the user directory
 * ({@code signin.SessionResolver}).
 *
 * <h2>Why a cached session cannot outlive its end</h2>
 * <ul>
 *   <li>Every change this node makes goes through {@link InvalidatingSessionStore}, which publishes a
 *       {@link SessionInvalidation} after the store confirmed it; this cache drops the entries at once, before the
 *       call that changed the store returns. A sign-out or revocation through this gateway is therefore refused on
 *       the very next request.</li>
 *   <li>A fill races with such a change (a request read the session just before it was revoked): every fill carries
 *       the {@link #stamp()} taken before its store read, and a fill during which any invalidation happened is
 *       dropped. The fill is put first and the stamp compared after, and an invalidation counts first and removes
 *       after, so one of the two always sees the other.</li>
 *   <li>Changes written by another process ({@code portcullis sessions revoke}, {@code users reset-mfa}) are found by
 *       {@link SessionCacheKeeper}, which asks SQLite every {@link SessionCacheKeeper#CHECK_INTERVAL} whether another
 *       connection committed, and empties the cache if so. The cache only answers while that check succeeded within
 *       {@link #MAX_UNCHECKED_NANOS} ({@link #trustUntil}); a keeper that stops (a store outage, a hung disk) turns
 *       every lookup back into a store read, which then fails closed.</li>
 * </ul>
 *
 * <h2>Idle deadline</h2>
 * A hit that is due to move the idle deadline ({@link SessionManager#touchInterval()}) moves it here, in memory, and
 * leaves the write to the keeper's next batch ({@link #touchesDue()}), off the request path. A touch that cannot be
 * written (the session changed or ended meanwhile) is dropped with the entry: the store's earlier deadline then
 * applies, which can only end a session sooner, never later.
 *
 * <p>Bounded: at {@link #capacity} entries a fill first evicts an arbitrary one (its next request reads the store).
 */
public final class SessionCache implements SessionInvalidation.Listener {
    public static final int DEFAULT_CAPACITY = 65_536;
    /** How long the cache answers after the keeper's last successful check for outside writes. */
    static final long MAX_UNCHECKED_NANOS = 500_000_000L;

    /**
     * One cached session: {@code stored} as the store has it, {@code current} as this node sees it (equal, or with the
     * idle deadline moved in memory and its write still due).
     */
    record Entry(Session stored, Session current) {
    }

    private final int capacity;
    private final ConcurrentHashMap<SessionIdHash, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SessionIdHash, Entry> touchesDue = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    private volatile long trustedUntilNanos = System.nanoTime() - 1;

    public SessionCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("SessionCache: capacity must be at least 1 but is " + capacity);
        }
        this.capacity = capacity;
    }

    /** The entry for {@code idHash}, if there is one and the keeper checked the store for outside writes recently. */
    Optional<Entry> entry(SessionIdHash idHash) {
        if (System.nanoTime() - trustedUntilNanos > 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(entries.get(idHash));
    }

    /** Taken before a store read whose result may be {@link #fill filled} in. */
    long stamp() {
        return invalidations.get();
    }

    /** Caches {@code stored}, just read or written, unless any invalidation happened since {@code stamp}. */
    void fill(Session stored, long stamp) {
        if (entries.size() >= capacity) {
            evictOne();
        }
        Entry entry = new Entry(stored, stored);
        entries.put(stored.idHash(), entry);
        if (invalidations.get() != stamp) {
            entries.remove(stored.idHash(), entry);
        }
    }

    /** {@code seen} was answered with its idle deadline moved to {@code touched}; the write is queued. */
    void touched(Entry seen, Session touched) {
        Entry next = new Entry(seen.stored(), touched);
        if (entries.replace(touched.idHash(), seen, next)) {
            touchesDue.put(touched.idHash(), next);
        }
    }

    /** Takes the queued idle-deadline writes (for {@link SessionCacheKeeper}). */
    Map<SessionIdHash, Entry> takeTouchesDue() {
        Map<SessionIdHash, Entry> taken = new java.util.HashMap<>();
        for (Iterator<Map.Entry<SessionIdHash, Entry>> it = touchesDue.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<SessionIdHash, Entry> due = it.next();
            taken.put(due.getKey(), due.getValue());
            it.remove();
        }
        return taken;
    }

    /** After the keeper wrote {@code written}: the entry now matches the store, unless it changed meanwhile. */
    void written(Entry written) {
        entries.replace(written.current().idHash(), written, new Entry(written.current(), written.current()));
    }

    /** After a queued write found the session changed or gone: forget it, the next request reads the store. */
    void dropped(Entry stale) {
        entries.remove(stale.current().idHash(), stale);
    }

    /** The keeper checked the store: the cache may answer until {@code deadlineNanos} ({@link System#nanoTime}). */
    void trustUntil(long deadlineNanos) {
        trustedUntilNanos = deadlineNanos;
    }

    /** Whether {@code idHash} is cached now, trusted or not (tests). */
    public boolean holds(SessionIdHash idHash) {
        return entries.containsKey(idHash);
    }

    /** Entries cached now (tests, metrics). */
    public int size() {
        return entries.size();
    }

    /** Idle-deadline writes waiting for the keeper (tests, metrics). */
    public int touchesDue() {
        return touchesDue.size();
    }

    @Override
    public void invalidated(SessionInvalidation event) {
        Objects.requireNonNull(event, "event");
        // Count first, remove second: a fill in flight either sees the count or is removed here (class notes).
        invalidations.incrementAndGet();
        if (event instanceof SessionInvalidation.OneSession one) {
            entries.remove(one.idHash());
        } else if (event instanceof SessionInvalidation.OneUser user) {
            entries.values().removeIf(entry -> entry.current().user().equals(user.user()));
        } else {
            entries.clear();
        }
    }

    private void evictOne() {
        Iterator<SessionIdHash> keys = entries.keySet().iterator();
        if (keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
