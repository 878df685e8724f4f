package org.portcullis.audit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.portcullis.storage.StorageExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves admin commands recorded by command-line tools ({@link AdminEvents}) into the audit trail, every
 * {@value #INTERVAL_SECONDS} seconds and once at start (commands run while the gateway was down). Rows are deleted
 * only after they were handed to the sink, so a crash in between writes an event twice rather than never.
 */
public final class AdminEventRelay implements AutoCloseable {
    static final long INTERVAL_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(AdminEventRelay.class);

    private final AdminEvents events;
    private final AuditSink sink;
    private final StorageExecutor storage;
    private final ScheduledExecutorService timer;

    public AdminEventRelay(AdminEvents events, AuditSink sink, StorageExecutor storage) {
        this.events = events;
        this.sink = sink;
        this.storage = storage;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "portcullis-admin-events");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> relayNow().exceptionally(error -> {
            LOG.warn("admin events not moved to the audit trail yet: {}", error.toString());
            return 0;
        }), 0, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /** Moves what is waiting now; completes with how many (tests call this instead of waiting for the timer). */
    public CompletableFuture<Integer> relayNow() {
        return storage.submit(this::relay);
    }

    private synchronized int relay() {
        List<AdminEvents.Pending> pending = events.oldest();
        for (AdminEvents.Pending row : pending) {
            sink.record(row.event());
        }
        if (!pending.isEmpty()) {
            events.delete(pending.get(pending.size() - 1).id());
        }
        return pending.size();
    }

    /** Stops the timer and the relay's storage thread; what is still waiting goes out at the next start. */
    @Override
    public void close() {
        timer.shutdownNow();
        storage.close();
    }
}
