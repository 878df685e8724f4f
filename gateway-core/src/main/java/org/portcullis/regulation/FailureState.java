package org.portcullis.regulation;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store knows about one subject of one counter.
 *
 * @param recentFailures      failures still in the window at the last update (the store drops older ones lazily)
 * @param consecutiveFailures failures since the last success or unlock
 * @param lockedUntil         the timed lock's end, {@link Instant#EPOCH} when never locked; locked while now is before it
 */
public record FailureState(int recentFailures, long consecutiveFailures, Instant lockedUntil) {

    /** A subject with nothing recorded. */
    public static final FailureState NONE = new FailureState(0, 0, Instant.EPOCH);

    public FailureState {
        Objects.requireNonNull(lockedUntil, "lockedUntil");
    }

    /** Whether the timed lock holds at {@code now}; it ends exactly at {@link #lockedUntil}. */
    public boolean lockedAt(Instant now) {
        return now.isBefore(lockedUntil);
    }
}
