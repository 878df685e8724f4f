package org.portcullis.proxy;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/** Open client connections per source address, to bound what one address can hold (SECURITY-RULES 19). */
public final class ConnectionCounter {
    private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

    /** Counts a new connection; false (and nothing counted) when the address already has {@code max}. */
    public boolean tryAcquire(InetAddress address, int max) {
        boolean[] accepted = {false};
        counts.compute(address, (a, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            accepted[0] = true;
            return current + 1;
        });
        return accepted[0];
    }

    public void release(InetAddress address) {
        counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    public int count(InetAddress address) {
        return counts.getOrDefault(address, 0);
    }
}
