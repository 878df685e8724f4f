package org.portcullis.portal.guard;

import java.util.Optional;

/**
 * Where pending callback codes wait, keyed by {@link CallbackCodeHash}. The in-memory store serves one node; a
 * cluster (several gateways behind one load balancer, where the portal and the callback may hit different nodes)
 * needs a shared store, e.g. Redis {@code SET key value PX ttl NX} and {@code GETDEL key}.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>{@link #take} is atomic: of any number of concurrent calls for one key, at most one gets the entry, and the
 *       entry is gone afterwards, whatever the caller then decides (single use).</li>
 *   <li>The number of entries is bounded, and entries past {@link PendingCallback#expiresAt()} are eventually
 *       dropped, so a flood of issued codes cannot exhaust memory; when full, the oldest entries go first.</li>
 *   <li>Only the hash of a code is ever stored or sent anywhere.</li>
 * </ul>
 */
public interface CallbackCodeStore {

    /** Adds a pending callback. Keys are 256-bit hashes of random codes; a repeated key is a programming error. */
    void put(CallbackCodeHash key, PendingCallback pending);

    /** Removes and returns the entry for {@code key}, expired or not; empty if there is none. */
    Optional<PendingCallback> take(CallbackCodeHash key);
}
