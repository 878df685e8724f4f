package org.portcullis.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One clock of a connection, on its event loop's ticker (so {@code EmbeddedChannel} tests move it by hand). Moving
 * the deadline costs no scheduling: one task checks it, and when it fires early because the deadline moved later it
 * schedules itself again for what remains; only a deadline moved earlier than the task's replaces the task. Used by
 * both sides of an exchange: the client's clocks ({@link FrontendTimeoutHandler}) and the upstream's
 * ({@link ProxyExchange}). Event loop only.
 */
final class Deadline {
    private final EventExecutor loop;
    private final Runnable onExpiry;
    private long deadline;
    private boolean running;
    private ScheduledFuture<?> task;
    private long taskAt;

    /** @param onExpiry run on the event loop when a started deadline passes without being moved, paused or stopped */
    Deadline(EventExecutor loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** Runs the clock: it expires {@code nanos} from now unless moved, paused or stopped before. */
    void start(long nanos) {
        long now = loop.ticker().nanoTime();
        deadline = now + nanos;
        running = true;
        if (task != null && taskAt - deadline > 0) {
            // The scheduled check would come too late for this deadline.
            task.cancel(false);
            task = null;
        }
        if (task == null) {
            schedule(now, nanos);
        }
    }

    /** Stops the clock; the scheduled check, if any, stays and finds nothing to do (cheaper than cancelling). */
    void pause() {
        running = false;
    }

    /** Stops the clock for good: the scheduled check is cancelled. */
    void stop() {
        running = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    boolean running() {
        return running;
    }

    private void schedule(long now, long delayNanos) {
        taskAt = now + delayNanos;
        task = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        task = null;
        if (!running) {
            return;
        }
        long now = loop.ticker().nanoTime();
        long remaining = deadline - now;
        if (remaining > 0) {
            schedule(now, remaining);
            return;
        }
        running = false;
        onExpiry.run();
    }
}
