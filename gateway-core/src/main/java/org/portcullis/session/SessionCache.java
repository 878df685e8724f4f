package org.portcullis.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

    /**
     * The idle-deadline writes still to be done, taken off the queue (for {@link SessionCacheKeeper}). They outlive
     * an invalidation of their entry: a session that was only evicted or emptied out with everything else still gets
     * its moved deadline written, and one that really changed or ended fails the write's compare-and-set.
     */
    List<Entry> takeTouchesDue() {
        List<Entry> taken = new ArrayList<>();
        for (Map.Entry<SessionIdHash, Entry> due : touchesDue.entrySet()) {
            if (touchesDue.remove(due.getKey(), due.getValue())) {
                taken.add(due.getValue());
            }
        }
        return taken;
    }

    /**
     * The idle deadline this node moved for {@code stored} and has not written yet, if {@code stored} is exactly the
     * version it was moved from: a store read (a miss, or while the cache is not trusted) then starts from the
     * deadline this node's own requests set, instead of ending a session that was in use.
     */
    Optional<Session> pendingTouch(Session stored) {
        Entry due = touchesDue.get(stored.idHash());
        return due != null && due.stored().equals(stored) ? Optional.of(due.current()) : Optional.empty();
    }

    /**
     * After the keeper wrote {@code written}: the entry now matches the store. If a request moved the deadline again
     * while it was written (on top of the old stored version), that newer deadline is moved onto the written version
     * and queued again, so it is neither lost nor written against a version that no longer exists.
     */
    void written(Entry written) {
        Session nowStored = written.current();
        entries.computeIfPresent(nowStored.idHash(), (idHash, entry) -> {
            if (entry == written) {
                return new Entry(nowStored, nowStored);
            }
            if (entry.stored() == written.stored()) {
                Session newer = entry.current();
                Entry rebased = new Entry(nowStored, nowStored.touched(newer.lastSeen(),
                        Duration.between(newer.lastSeen(), newer.idleExpiry())));
                touchesDue.put(idHash, rebased);
                return rebased;
            }
            return entry;
        });
    }

    /** After a queued write found the session changed or gone: forget what was built on it; the store decides. */
    void dropped(Entry stale) {
        entries.computeIfPresent(stale.current().idHash(), (idHash, entry) ->
                entry.stored() == stale.stored() ? null : entry);
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
