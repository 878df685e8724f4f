package org.portcullis.storage;

/**
 * Told of every read and write of the {@link Database} (the metrics' store latency and errors). Called on
 * the storage thread that did the work, after it; cheap and never throwing.
 */
@FunctionalInterface
public interface StoreObserver {
    StoreObserver NONE = (write, nanos, failed) -> { };

    /**
     * @param write  true for a write transaction, false for a read
     * @param nanos  how long it took, waiting for a connection or the write lock included
     * @param failed whether it ended in an exception
     */
    void done(boolean write, long nanos, boolean failed);
}
