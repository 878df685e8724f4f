package org.portcullis.session;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the {@link SessionCache}s of a cluster act as one (issue 18): every invalidation this node publishes is sent
 * on the {@link InvalidationChannel}, and every one another node sent is applied here as if made here. A sign-out,
 * revocation, user or factor change on one node so empties every node's cached copy within the channel's latency
 * (milliseconds; the promise is 1 s).
 *
 * <h2>The staleness budget</h2>
 * A node cannot tell a quiet channel from a broken one by waiting for others, so it sends itself a heartbeat every
 * {@link #beatInterval} and counts the channel as working only while its own heartbeats come back. When none has come
 * back for the budget ({@code cache.redis.staleness_budget}, default 5 s), {@link #fresh()} turns false and every
 * signed-in request is refused (503) instead of being answered from a copy another node may have revoked meanwhile.
 * Nothing needs a restart: the transport reconnects by itself, and the first heartbeat back makes the node fresh
 * again.
 *
 * <h2>Nothing missed is trusted</h2>
 * <ul>
 *   <li>Every (re)subscription empties the cache: what was sent while this node was not listening is lost.</li>
 *   <li>A heartbeat that comes back out of sequence (one was lost, or could not be sent) empties it too.</li>
 *   <li>An invalidation this node could not send is kept and sent again before the next heartbeat, so this node stays
 *       unfresh until the others have it; past {@link #MAX_PENDING} kept ones they collapse into one
 *       {@link SessionInvalidation.Everything}.</li>
 * </ul>
 * Messages only ever remove cached entries: a forged or repeated one costs store reads, never grants access.
 */
public final class SessionFanOut implements SessionInvalidation.Listener, InvalidationChannel.Receiver,
        CacheFreshness, AutoCloseable {
    static final int MAX_PENDING = 4096;
    private static final Duration MAX_BEAT_INTERVAL = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(SessionFanOut.class);

    private final InvalidationChannel channel;
    private final SessionInvalidations invalidations;
    private final long budgetNanos;
    private final Duration beatInterval;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<SessionInvalidation> pending = new ArrayDeque<>();
    private volatile long lastHeardNanos;
    private long nextBeat;
    private long lastBeatHeard = -1;
    private boolean reportedDown;

    /**
     * Subscribes to {@code channel}, forwards {@code invalidations}' events to it, and starts the heartbeat. The node
     * counts as fresh from here for one budget.
     */
    public SessionFanOut(InvalidationChannel channel, SessionInvalidations invalidations, Duration stalenessBudget) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.invalidations = Objects.requireNonNull(invalidations, "invalidations");
        this.budgetNanos = stalenessBudget.toNanos();
        Duration fifth = stalenessBudget.dividedBy(5);
        this.beatInterval = fifth.compareTo(MAX_BEAT_INTERVAL) < 0 ? fifth : MAX_BEAT_INTERVAL;
        this.lastHeardNanos = System.nanoTime();
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "portcullis-fan-out");
            thread.setDaemon(true);
            return thread;
        });
        channel.open(this);
        invalidations.forwardTo(this);
        timer.scheduleWithFixedDelay(this::tick, 0, beatInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True while this node's own heartbeat came back within the staleness budget. */
    @Override
    public boolean fresh() {
        return System.nanoTime() - lastHeardNanos <= budgetNanos;
    }

    /** How often a heartbeat is sent: a fifth of the budget, at most 500 ms. */
    public Duration beatInterval() {
        return beatInterval;
    }

    /** This node changed something: tell the others (on the caller's thread; kept for later if it fails). */
    @Override
    public void invalidated(SessionInvalidation event) {
        synchronized (pending) {
            if (!pending.isEmpty()) {
                keep(event);
                return;
            }
        }
        try {
            channel.send(event);
        } catch (RuntimeException e) {
            synchronized (pending) {
                keep(event);
            }
            reportDown(e);
        }
    }

    @Override
    public void fromOtherNode(SessionInvalidation event) {
        invalidations.publishHere(event);
    }

    @Override
    public synchronized void ownBeat(long sequence) {
        if (lastBeatHeard >= 0 && sequence != lastBeatHeard + 1) {
            // A heartbeat went missing, so other messages may have too.
            invalidations.publishHere(new SessionInvalidation.Everything());
        }
        lastBeatHeard = sequence;
        lastHeardNanos = System.nanoTime();
        if (reportedDown) {
            reportedDown = false;
            LOG.info("session fan-out channel works again");
        }
    }

    @Override
    public void subscribed() {
        invalidations.publishHere(new SessionInvalidation.Everything());
    }

    private void tick() {
        try {
            flushPending();
            long sequence;
            synchronized (this) {
                sequence = nextBeat++;
            }
            channel.beat(sequence);
        } catch (RuntimeException e) {
            reportDown(e);
        }
    }

    /** Sends what could not be sent before, oldest first; stops at the first failure. */
    private void flushPending() {
        while (true) {
            SessionInvalidation next;
            synchronized (pending) {
                next = pending.peekFirst();
            }
            if (next == null) {
                return;
            }
            channel.send(next);
            synchronized (pending) {
                pending.pollFirst();
            }
        }
    }

    /** Called with {@code pending}'s lock held. */
    private void keep(SessionInvalidation event) {
        if (pending.size() >= MAX_PENDING) {
            pending.clear();
            pending.add(new SessionInvalidation.Everything());
        } else {
            pending.addLast(event);
        }
    }

    private synchronized void reportDown(RuntimeException e) {
        if (!reportedDown) {
            reportedDown = true;
            LOG.warn("session fan-out channel not working; signed-in requests are refused once it has been silent"
                    + " for the staleness budget: {}", e.toString());
        }
    }

    /** Stops the heartbeat and closes the channel. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
