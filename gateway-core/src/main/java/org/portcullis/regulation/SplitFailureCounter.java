package org.portcullis.regulation;

import java.time.Instant;
import java.util.Objects;

/**
 * Account counters in one {@link FailureCounter}, address counters in another (issue 18, with {@code cache.redis}):
 * accounts stay in the durable store, because their consecutive count must survive restarts until a success or an
 * admin's {@code portcullis users unlock} (which works on that store), while the address counters, short-lived rate
 * limits by nature, go to the store every node counts in at once with a TTL (Redis).
 */
public final class SplitFailureCounter implements FailureCounter {
    private final FailureCounter accounts;
    private final FailureCounter addresses;

    public SplitFailureCounter(FailureCounter accounts, FailureCounter addresses) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
    }

    private FailureCounter of(Subject subject) {
        return subject.kind() == Subject.Kind.ACCOUNT ? accounts : addresses;
    }

    @Override
    public FailureState state(CounterKind kind, Subject subject) {
        return of(subject).state(kind, subject);
    }

    @Override
    public FailureState recordFailure(CounterKind kind, Subject subject, Instant now, FailureLimit limit) {
        return of(subject).recordFailure(kind, subject, now, limit);
    }

    @Override
    public void reset(CounterKind kind, Subject subject) {
        of(subject).reset(kind, subject);
    }

    @Override
    public int resetAccountEverywhere(String canonicalAccount) {
        return accounts.resetAccountEverywhere(canonicalAccount);
    }

    @Override
    public int purgeIdleAddresses(Instant now, Instant idleSince) {
        return addresses.purgeIdleAddresses(now, idleSince);
    }
}
