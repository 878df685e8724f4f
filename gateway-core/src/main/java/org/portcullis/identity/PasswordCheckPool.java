package org.portcullis.identity;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small, bounded pool for password hashing, so that a login flood costs queued work, never a stalled event loop
 * or unbounded memory (SECURITY-RULES 18). Each running hash holds {@code m} KiB of memory, so
 * {@code threads × m} bounds the memory sign-ins can take; a full queue answers at once with the caller's "busy"
 * result instead of queueing without limit.
 *
 * <p>Defaults: half the processors, at least one (one thread on the 2-core reference machine, leaving the other core
 * to the proxy), and a queue of {@value #DEFAULT_QUEUE_CAPACITY}: with ≈0.3 s per hash, the last one in a full queue
 * waits about 20 s, beyond which a user is better told to retry.
 */
public final class PasswordCheckPool implements AutoCloseable {
    public static final int DEFAULT_QUEUE_CAPACITY = 64;
    static final String THREAD_NAME_PREFIX = "portcullis-password-";

    private final ThreadPoolExecutor executor;

    public PasswordCheckPool(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("PasswordCheckPool: threads and queue capacity must be at least 1");
        }
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), daemonThreads(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** How many hashes run at once. */
    public int threads() {
        return executor.getCorePoolSize();
    }

    /** {@link #defaultThreads()} threads and a queue of {@value #DEFAULT_QUEUE_CAPACITY}. */
    public static PasswordCheckPool withDefaults() {
        return new PasswordCheckPool(defaultThreads(), DEFAULT_QUEUE_CAPACITY);
    }

    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * Runs {@code task} on the pool. When the queue is full (or the pool closed) the future is already complete
     * with {@code whenBusy}'s value. A task that throws completes the future exceptionally.
     */
    public <T> CompletableFuture<T> submit(Supplier<T> task, Supplier<T> whenBusy) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(task.get());
                } catch (RuntimeException | Error e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.complete(whenBusy.get());
        }
        return future;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME_PREFIX + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
