package org.portcullis.identity;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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

    /**
     * Under a sign-in flood a hashing thread would otherwise take a whole core from the proxy: with a duty of one third
     * it takes at most a third of one (measured with bench/signin-flood.sh: a half kept a saturating user's p99 within
     * 1.75-2.3x, a third within the 2x). A single sign-in is not slowed, since the rest comes after its answer;
     * only a hash that has another queued behind it rests, so back-to-back sign-ins are spaced out (the sign-in gate
     * turns that into waiting, not into CPU) while sign-ins that come one at a time never wait.
     */
    public static final double DEFAULT_DUTY = 1.0 / 3;

    private final ThreadPoolExecutor executor;
    private final double restPerBusy;

    public PasswordCheckPool(int threads, int queueCapacity) {
        this(threads, queueCapacity, DEFAULT_DUTY);
    }

    /**
     * @param duty the share of each hashing thread's time that may go to hashing, in (0, 1]: after a hash that took
     *             {@code d}, the thread rests {@code d × (1 − duty) / duty} before the next one
     */
    public PasswordCheckPool(int threads, int queueCapacity, double duty) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("PasswordCheckPool: threads and queue capacity must be at least 1");
        }
        if (!(duty > 0 && duty <= 1)) {
            throw new IllegalArgumentException("PasswordCheckPool: duty must be in (0, 1] but is " + duty);
        }
        this.restPerBusy = (1 - duty) / duty;
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
                long started = System.nanoTime();
                try {
                    future.complete(task.get());
                } catch (RuntimeException | Error e) {
                    future.completeExceptionally(e);
                }
                if (!executor.getQueue().isEmpty()) {
                    // Only back-to-back hashes are spaced out: a lone sign-in, or a few in a row, never wait.
                    rest(System.nanoTime() - started);
                }
            });
        } catch (RejectedExecutionException e) {
            future.complete(whenBusy.get());
        }
        return future;
    }

    /** Keeps this thread from hashing again until its duty share is respected; the answer has already gone. */
    private void rest(long busyNanos) {
        long restNanos = (long) (busyNanos * restPerBusy);
        if (restNanos > 0) {
            LockSupport.parkNanos(restNanos);
        }
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
