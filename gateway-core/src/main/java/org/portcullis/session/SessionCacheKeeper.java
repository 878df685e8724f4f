package org.portcullis.session;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background half of the {@link SessionCache}, on its own thread so it never waits in a request pool:
 *
 * <ul>
 *   <li>every {@link #CHECK_INTERVAL} it asks the store whether another process wrote to it
 *       ({@code Database#writesByOthersVersion}). If so, or if the store does not answer, it publishes
 *       {@link SessionInvalidation.Everything}: a {@code portcullis sessions revoke} or {@code users reset-mfa} run
 *       next to the gateway is honoured within about one interval. Only after a good check may the cache answer for
 *       {@link SessionCache#MAX_UNCHECKED_NANOS} more, so a keeper that falls behind or stops makes every request read
 *       the store again instead of trusting an old copy;</li>
 *   <li>every {@link #TOUCH_INTERVAL} it writes the idle deadlines hits moved in memory, each a compare-and-set
 *       against the version the cache read, so a session changed or ended meanwhile is never written back.</li>
 * </ul>
 */
public final class SessionCacheKeeper implements AutoCloseable {
    /** How often the store is asked about writes by other processes: the window of an outside revocation. */
    public static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    /** How often queued idle-deadline writes go out. */
    public static final Duration TOUCH_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long a command-line tool that ended sessions in the store waits before it reports success: by then every
     * gateway on this store either noticed the write or no longer trusts its cache (a check that started before the
     * write extends trust for at most {@link SessionCache#MAX_UNCHECKED_NANOS} from its start), so the admin's
     * revocation holds for the very next request once the command has printed its result.
     */
    public static final Duration OUTSIDE_WRITE_NOTICED = Duration.ofNanos(SessionCache.MAX_UNCHECKED_NANOS)
            .plusMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(SessionCacheKeeper.class);

    private final SessionCache cache;
    private final SessionStore store;
    private final LongSupplier writesByOthers;
    private final SessionInvalidations invalidations;
    private final ScheduledExecutorService timer;
    private long lastVersion;
    private boolean knowVersion;
    private long lastTouchNanos = System.nanoTime();

    /**
     * @param store          the store itself, not the invalidating one: writing an idle deadline the cache moved does
     *                       not make the cached copy stale
     * @param writesByOthers a number that changes whenever another process committed to the store
     */
    public SessionCacheKeeper(SessionCache cache, SessionStore store, LongSupplier writesByOthers,
                              SessionInvalidations invalidations) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.store = Objects.requireNonNull(store, "store");
        this.writesByOthers = Objects.requireNonNull(writesByOthers, "writesByOthers");
        this.invalidations = Objects.requireNonNull(invalidations, "invalidations");
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "portcullis-session-cache");
            thread.setDaemon(true);
            return thread;
        });
        check();
        timer.scheduleWithFixedDelay(this::tick, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void tick() {
        check();
        if (System.nanoTime() - lastTouchNanos >= TOUCH_INTERVAL.toNanos()) {
            lastTouchNanos = System.nanoTime();
            writeTouches();
        }
    }

    /** One check for outside writes; runs on the keeper's thread (and once in the constructor). */
    synchronized void check() {
        long started = System.nanoTime();
        try {
            long version = writesByOthers.getAsLong();
            if (knowVersion && version != lastVersion) {
                invalidations.publishHere(new SessionInvalidation.Everything());
            }
            lastVersion = version;
            knowVersion = true;
            cache.trustUntil(started + SessionCache.MAX_UNCHECKED_NANOS);
        } catch (RuntimeException e) {
            // Unknown is deny: without the check, no copy is trusted; requests read the store (and fail closed).
            if (knowVersion) {
                // Once per outage, not every interval.
                LOG.warn("session cache emptied until the store answers again: {}", e.toString());
            }
            knowVersion = false;
            invalidations.publishHere(new SessionInvalidation.Everything());
        }
    }

    /** Writes the idle deadlines moved in memory; returns how many were written (tests). */
    synchronized int writeTouches() {
        int written = 0;
        for (SessionCache.Entry entry : cache.takeTouchesDue()) {
            try {
                if (store.compareAndSet(entry.stored(), entry.current())) {
                    cache.written(entry);
                    written++;
                } else {
                    cache.dropped(entry);
                }
            } catch (RuntimeException e) {
                cache.dropped(entry);
                LOG.warn("idle deadline of session {} not written: {}", entry.current().displayId(), e.toString());
            }
        }
        return written;
    }

    /** For a command-line tool that just ended sessions: waits {@link #OUTSIDE_WRITE_NOTICED}. */
    public static void awaitRunningGatewaysNotice() {
        try {
            Thread.sleep(OUTSIDE_WRITE_NOTICED.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread; idle deadlines still queued are written first, as far as the store takes them. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeTouches();
    }
}
