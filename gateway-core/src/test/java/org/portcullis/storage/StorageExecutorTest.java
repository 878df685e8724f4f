package org.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StorageExecutorTest {

    @Test
    void runsWorkOffTheCallersThread() throws Exception {
        try (StorageExecutor executor = new StorageExecutor()) {
            String thread = executor.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            assertThat(thread).startsWith("portcullis-storage-");
        }
    }

    @Test
    void aFullQueueFailsAtOnceInsteadOfBlockingTheCaller() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (StorageExecutor executor = new StorageExecutor(1, 1)) {
            CompletableFuture<Integer> busy = executor.submit(() -> {
                running.countDown();
                await(release);
                return 1;
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> queued = executor.submit(() -> 2);
            CompletableFuture<Integer> rejected = executor.submit(() -> 3);

            assertThat(rejected).isCompletedExceptionally();
            assertThat(rejected.handle((v, e) -> e).get()).isInstanceOf(RejectedExecutionException.class);
            release.countDown();
            assertThat(busy.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void aClosedExecutorRefusesWork() {
        StorageExecutor executor = new StorageExecutor(1, 1);
        executor.close();
        assertThat(executor.submit(() -> 1)).isCompletedExceptionally();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
