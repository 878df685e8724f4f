package org.portcullis.storage;

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
 * <p>Completions run on a storage thread; a Netty caller hops back with {@code channel.eventLoop().execute(…)}
 * before it touches the pipeline.
 */
public final class StorageExecutor implements AutoCloseable {

    /** Two threads match the two read connections of {@link EmbeddedDatabase}; writes serialise anyway. */
    public static final int DEFAULT_THREADS = EmbeddedDatabase.DEFAULT_READERS;
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final ThreadPoolExecutor pool;

    public StorageExecutor() {
        this(DEFAULT_THREADS, DEFAULT_QUEUE_CAPACITY);
    }

    public StorageExecutor(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("StorageExecutor: threads (" + threads + ") and queueCapacity ("
                    + queueCapacity + ") must be at least 1");
        }
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), new StorageThreads(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code work} on a storage thread; a full queue or a closed executor gives a failed future at once. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
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

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "portcullis-storage-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
