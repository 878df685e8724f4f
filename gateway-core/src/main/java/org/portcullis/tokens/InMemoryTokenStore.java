package org.portcullis.tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node {@link TokenStore}: a {@link ConcurrentHashMap}, whose {@code computeIfPresent} makes {@link #take}
 * atomic per key without a lock. A taken entry stays, without its value, until it would have expired, so a second use
 * is {@link TokenStore.Taken.State#SPENT}. At most {@code maxEntries} entries: when the map is full a put first drops
 * every expired entry, and if it is still full the token is refused (the caller says "busy"), so a user asking for
 * tokens in a loop costs bounded memory and never pushes out other users' tokens. Expired entries are also dropped
 * whenever the map is more than half full. Forgotten on restart, which fails closed (the user asks again).
 */
public final class InMemoryTokenStore implements TokenStore {
    private final Clock clock;
    private final int maxEntries;
    private final ConcurrentHashMap<TokenKey, Entry> entries = new ConcurrentHashMap<>();

    /** One entry; {@code value} null once taken. */
    private record Entry(String value, Instant expiresAt) {
    }

    public InMemoryTokenStore(Clock clock, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("InMemoryTokenStore: maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public boolean put(TokenKey key, String value, Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (entries.size() > maxEntries / 2) {
            Instant now = clock.instant();
            entries.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
        }
        if (entries.size() >= maxEntries) {
            return false;
        }
        if (entries.putIfAbsent(key, new Entry(value, expiresAt)) != null) {
            throw new IllegalStateException("InMemoryTokenStore: a token was issued twice");
        }
        return true;
    }

    @Override
    public Taken take(TokenKey key) {
        Taken[] taken = {Taken.NONE};
        entries.computeIfPresent(Objects.requireNonNull(key, "key"), (k, entry) -> {
            taken[0] = entry.value() == null ? Taken.USED : Taken.fresh(entry.value());
            return new Entry(null, entry.expiresAt());
        });
        return taken[0];
    }

    @Override
    public Optional<String> peek(TokenKey key) {
        Entry entry = entries.get(Objects.requireNonNull(key, "key"));
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
    }

    /** Entries held, spent ones included (tests). */
    public int size() {
        return entries.size();
    }
}
