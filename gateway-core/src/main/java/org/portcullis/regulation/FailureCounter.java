package org.portcullis.regulation;

import java.time.Instant;

/**
 * The store behind the {@link Regulator}: counters shared by every session, thread and (with a shared store) node.
 * Every method blocks; callers run it on a {@code StorageExecutor}, never on an event loop.
 *
 * <p>{@link #recordFailure} must be atomic: two failures recorded at the same moment both count, otherwise an
 * attacker gets free guesses by sending them in parallel.
 */
public interface FailureCounter {

    /** The subject's state, {@link FailureState#NONE} when nothing is recorded. */
    FailureState state(CounterKind kind, Subject subject);

    /**
     * Atomically adds one failure at {@code now}: drops failures older than the window, counts this one and the
     * consecutive counter, and, when {@code limit.maxFailures()} failures fall in the window, sets the lock to
     * {@code now + limit.lockout()} (never shortening one already set) and starts the window afresh.
     *
     * @return the state after the update
     */
    FailureState recordFailure(CounterKind kind, Subject subject, Instant now, FailureLimit limit);

    /** Forgets everything about the subject for this counter (after a success, or an unlock). */
    void reset(CounterKind kind, Subject subject);

    /** Forgets the account for every counter kind (the admin unlock); returns how many counters held something. */
    int resetAccountEverywhere(String canonicalAccount);

    /**
     * Deletes address counters with no lock left at {@code now} and no failure after {@code idleSince}; account
     * counters are kept, because their consecutive count must survive (the 100-failure cap). Returns how many went.
     */
    int purgeIdleAddresses(Instant now, Instant idleSince);
}
