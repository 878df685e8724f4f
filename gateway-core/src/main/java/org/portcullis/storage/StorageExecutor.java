package org.portcullis.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The few threads that run every {@link EmbeddedDatabase} call, so no event loop ever waits for the disk or a
 * SQLite lock. Both the threads and the queue are bounded: when the store falls behind, {@link #submit} returns an
 * already failed future at once (a {@link RejectedExecutionException}), which the caller turns into a refusal
 * (SECURITY-RULES 10 and 19) instead of queueing without limit.
 *
 * <p>Every task also has a deadline ({@link #DEFAULT_DEADLINE} unless the constructor says otherwise): a store that
 * hangs (a stuck disk, a lock held by another process beyond SQLite's busy timeout) fails each waiting future with a
 * {@link java.util.concurrent.TimeoutException} when its deadline passes, so a request waits at most that long and is
 * then refused; it never hangs with its connection. A task still queued when its deadline passed is skipped when its
 * turn comes (its future is already complete), so a backlog drains instead of doing work nobody waits for.
 *
 * <p>Completions run on a storage thread (or the deadline's timer thread); a Netty caller hops back with
 * {@code channel.eventLoop().execute(…)} before it touches the pipeline.
 *
 * <p>The executor for session lookups is built by whoever starts the gateway ({@code portcullis run}, or a test that
 * wants to fail it) and handed down through constructors; the portal's work gets one of its own
 * ({@code SignInAssembly#portalThreads}), so a sign-in flood never queues in front of a signed-in user's lookup. Nothing
 * looks either up.
 */
public final class StorageExecutor implements AutoCloseable {

    /**
     * Two threads: with the two of the portal's executor they match the four read connections of
     * {@link EmbeddedDatabase}, so neither pool waits for a connection the other holds; writes serialise anyway.
     */
    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;
    /**
     * Twice SQLite's busy timeout ({@value EmbeddedDatabase#BUSY_TIMEOUT_MILLIS} ms): a task that waited the whole
     * busy timeout for a lock still gets to run, while a hung store holds a request for seconds, not forever.
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(2L * EmbeddedDatabase.BUSY_TIMEOUT_MILLIS);
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final ThreadPoolExecutor pool;
    private final Duration deadline;

    public StorageExecutor() {
        this(DEFAULT_THREADS, DEFAULT_QUEUE_CAPACITY, DEFAULT_DEADLINE);
    }

    public StorageExecutor(int threads, int queueCapacity) {
        this(threads, queueCapacity, DEFAULT_DEADLINE);
    }

    /** @param deadline how long a caller waits for one task, queueing included, before its future fails */
    public StorageExecutor(int threads, int queueCapacity, Duration deadline) {
        this(threads, queueCapacity, deadline, "portcullis-storage");
    }

    /**
     * @param threadName the name of the threads before their number, so a thread dump and a profile tell the pools
     *                   apart ({@code portcullis-storage} for session reads, {@code portcullis-portal} for sign-in work)
     */
    public StorageExecutor(int threads, int queueCapacity, Duration deadline, String threadName) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("StorageExecutor: threads (" + threads + ") and queueCapacity ("
                    + queueCapacity + ") must be at least 1");
        }
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("StorageExecutor: deadline must be positive but is " + deadline);
        }
        this.deadline = deadline;
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), new StorageThreads(Objects.requireNonNull(threadName,
                "threadName")), new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code work} on a storage thread; a full queue or a closed executor gives a failed future at once, a task
     * not done within the deadline a future failed with a {@link java.util.concurrent.TimeoutException}.
     */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool).orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** How long a caller waits for one task before its future fails. */
    public Duration deadline() {
        return deadline;
    }

    /** Stops taking work and waits a few seconds for queued work to finish (so writes are not cut off). */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static final class StorageThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();
        private final String name;

        StorageThreads(String name) {
            this.name = name;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
