package org.portcullis.tokens;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where issued tokens wait, keyed by {@link TokenKey}: in this process ({@link InMemoryTokenStore}), or in Redis so
 * that a token issued by one node of a cluster is taken by another ({@code cluster.RedisTokenStore}). Only
 * {@link HashedTokens} talks to a store; the values it puts are sealed with a key only the token itself gives, so a
 * store's contents (a Redis dump, its traffic, a heap dump) name neither a token nor what it grants.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>{@link #take} is atomic: of any number of concurrent calls for one key, on any node, exactly one gets the
 *       value ({@link Taken.State#FRESH}); every other call, and every later one until the entry's expiry, gets
 *       {@link Taken.State#SPENT} (single use, and a second use is told apart from a made-up token).</li>
 *   <li>Entries go at {@code expiresAt} at the latest (a Redis TTL) or soon after (in memory, swept), so the number of
 *       entries is bounded by the issue rate times the lifetime; an in-memory store is also bounded in size.</li>
 *   <li>A failure to reach a shared store throws: the caller refuses (fail closed), it never guesses.</li>
 * </ul>
 */
public interface TokenStore {

    /**
     * Keeps {@code value} under {@code key} until {@code expiresAt}.
     *
     * @return false when the store is full (in memory only): the token is not issued
     * @throws IllegalStateException when {@code key} is already there (two random 256-bit tokens never collide)
     */
    boolean put(TokenKey key, String value, Instant expiresAt);

    /** Uses the entry of {@code key} up, atomically; see {@link Taken}. */
    Taken take(TokenKey key);

    /** The value of {@code key} without using it (tokens that work many times); empty when absent or spent. */
    Optional<String> peek(TokenKey key);

    /** What {@link #take} found. */
    record Taken(State state, String value) {
        public enum State {
            /** The entry was there and unused: {@code value} is its value, and it is spent now. */
            FRESH,
            /** The entry was there but already taken. */
            SPENT,
            /** No entry: never issued, expired and gone, or pushed out. */
            ABSENT
        }

        public static final Taken NONE = new Taken(State.ABSENT, null);
        public static final Taken USED = new Taken(State.SPENT, null);

        public Taken {
            Objects.requireNonNull(state, "state");
            if ((state == State.FRESH) != (value != null)) {
                throw new IllegalArgumentException("Taken: a value exactly when FRESH");
            }
        }

        public static Taken fresh(String value) {
            return new Taken(State.FRESH, Objects.requireNonNull(value, "value"));
        }
    }
}
