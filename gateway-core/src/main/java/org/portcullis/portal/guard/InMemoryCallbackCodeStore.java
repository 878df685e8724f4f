package org.portcullis.portal.guard;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node {@link CallbackCodeStore}: a {@link ConcurrentHashMap} from code hash to pending callback, whose
 * {@code remove} makes {@link #take} atomic without a lock, plus a queue of keys in issue order that bounds it.
 *
 * <p>Every {@link #put} trims from the oldest end of the queue: keys already taken, entries already expired, and, while
 * more than {@code maxOutstanding} are queued, the oldest entries even if still valid. So the map and the queue each
 * hold at most {@code maxOutstanding} entries (a few more for a moment while threads race), whatever the rate of
 * sign-ins. Issuing happens only after a successful sign-in, so only signed-in users can push out each other's
 * pending codes, and a pushed-out code only means one more trip through the portal. Codes are issued in time order
 * with one lifetime, so the oldest end is also the first to expire.
 *
 * <p>{@code put} takes a lock on the queue (it runs once per sign-in and callback host); {@code take}, which runs on
 * every callback, does not.
 */
public final class InMemoryCallbackCodeStore implements CallbackCodeStore {

    /** Enough for 10,000 sign-ins within one code lifetime (30 s): far above any real portal's rate. */
    public static final int DEFAULT_MAX_OUTSTANDING = 10_000;

    private final Clock clock;
    private final int maxOutstanding;
    private final ConcurrentHashMap<CallbackCodeHash, PendingCallback> pending = new ConcurrentHashMap<>();
    private final ArrayDeque<CallbackCodeHash> issueOrder = new ArrayDeque<>();

    public InMemoryCallbackCodeStore(Clock clock, int maxOutstanding) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("InMemoryCallbackCodeStore: maxOutstanding must be at least 1");
        }
        this.maxOutstanding = maxOutstanding;
    }

    public InMemoryCallbackCodeStore(Clock clock) {
        this(clock, DEFAULT_MAX_OUTSTANDING);
    }

    @Override
    public void put(CallbackCodeHash key, PendingCallback entry) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(entry, "entry");
        if (pending.putIfAbsent(key, entry) != null) {
            throw new IllegalStateException("InMemoryCallbackCodeStore: a code was issued twice");
        }
        synchronized (issueOrder) {
            issueOrder.addLast(key);
            trim(clock.instant());
        }
    }

    @Override
    public Optional<PendingCallback> take(CallbackCodeHash key) {
        return Optional.ofNullable(pending.remove(Objects.requireNonNull(key, "key")));
    }

    /** Entries currently held (taken and trimmed ones excluded). */
    public int size() {
        return pending.size();
    }

    /** Called with the queue's lock held. */
    private void trim(Instant now) {
        while (!issueOrder.isEmpty()) {
            CallbackCodeHash oldest = issueOrder.peekFirst();
            PendingCallback entry = pending.get(oldest);
            boolean gone = entry == null || !now.isBefore(entry.expiresAt());
            if (!gone && issueOrder.size() <= maxOutstanding) {
                return;
            }
            issueOrder.pollFirst();
            pending.remove(oldest);
        }
    }
}
