package org.portcullis.snapshot;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The snapshot the gateway serves now: the one thing in the running gateway's wiring that changes, swapped atomically
 * by a reload. Created first at start, so everything built after it (the runtime, the sign-in parts) reads the same.
 */
public final class CurrentSnapshot {
    private final AtomicReference<GatewaySnapshot> current;

    public CurrentSnapshot(GatewaySnapshot initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public GatewaySnapshot get() {
        return current.get();
    }

    /** Publishes a completely built snapshot; requests already admitted keep theirs. */
    public void publish(GatewaySnapshot next) {
        current.set(Objects.requireNonNull(next, "next"));
    }
}
