package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.portcullis.fixtures.BodyPattern;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * A gigabyte up and a gigabyte down through the gateway (running in this JVM), with exact length and CRC32 at the
 * far end, while the gateway's memory stays flat: bodies stream with backpressure and are never aggregated
 * (SECURITY-RULES 19: a large body costs a socket, not memory). Direct memory is sampled during the transfer (peak);
 * heap is compared after a GC on both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodiesLargeStreamingTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final long MAX_GROWTH = 64L * 1024 * 1024;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);
    /** A multiple of BodyPattern's 61-byte cycle, so every write of the same array continues the pattern. */
    private static final int WRITE_SIZE = 61 * 1024;

    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: big
                host: big.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 30s
                max_body_bytes: 2GiB
            access_control:
              default_policy: bypass
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(CONFIG);

    @BeforeAll
    void discardUploadedBodies() {
        // A GiB kept in memory would measure the echo upstream, not the gateway.
        gateway.upstream().discardBodies(true);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneGibibyteUploadStreamsExactlyWithFlatMemory() throws Exception {
        byte[] block = BodyPattern.bytes(0, WRITE_SIZE);
        try (MemoryWatch memory = MemoryWatch.start();
             RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            long started = System.nanoTime();
            client.send("POST /upload HTTP/1.1\r\nHost: big.test\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + GIB + "\r\n\r\n");
            long sent = 0;
            while (sent < GIB) {
                int n = (int) Math.min(WRITE_SIZE, GIB - sent);
                client.send(n == WRITE_SIZE ? block : BodyPattern.bytes(0, n));
                sent += n;
            }
            RawResponse response = client.readResponse(TRANSFER_TIMEOUT);
            report("upload", started);

            assertThat(response.status()).isEqualTo(200);
            memory.assertFlat();
        }
        RecordedRequest received = gateway.upstream().takeRequest(Duration.ofSeconds(5));
        assertThat(received.complete()).isTrue();
        assertThat(received.headers("Content-Length")).containsExactly(Long.toString(GIB));
        assertThat(received.bodyLength()).isEqualTo(GIB);
        assertThat(received.bodyCrc32()).isEqualTo(BodyPattern.crc32(GIB));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneGibibyteDownloadStreamsExactlyWithFlatMemory() throws Exception {
        try (MemoryWatch memory = MemoryWatch.start();
             RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            long started = System.nanoTime();
            client.send("GET /bytes/" + GIB + " HTTP/1.1\r\nHost: big.test\r\n\r\n");
            RawResponse response = client.readResponseDiscardingBody(TRANSFER_TIMEOUT);
            report("download", started);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Length")).isEqualTo(Long.toString(GIB));
            assertThat(response.bodyLength()).isEqualTo(GIB);
            assertThat(response.bodyCrc32()).isEqualTo(BodyPattern.crc32(GIB));
            memory.assertFlat();
        }
    }

    private static void report(String what, long startedNanos) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        System.out.println("BodiesLargeStreamingTest: 1 GiB " + what + " took " + millis + " ms");
    }

    /**
     * Samples the direct memory in use (Netty's own counter when it keeps one, the default allocator's metric, and
     * the JVM's direct buffer pool) every few milliseconds on a daemon thread, and compares heap after a GC.
     */
    private static final class MemoryWatch implements AutoCloseable {
        private static final long SAMPLE_MILLIS = 5;
        private final long directBefore;
        private final long heapBefore;
        private final AtomicLong directPeak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sampler;

        private MemoryWatch() {
            this.heapBefore = heapAfterGc();
            this.directBefore = directUsed();
            this.directPeak.set(directBefore);
            this.sampler = new Thread(() -> {
                while (running.get()) {
                    directPeak.accumulateAndGet(directUsed(), Math::max);
                    try {
                        Thread.sleep(SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "memory-watch");
            this.sampler.setDaemon(true);
            this.sampler.start();
        }

        static MemoryWatch start() {
            return new MemoryWatch();
        }

        void assertFlat() throws InterruptedException {
            running.set(false);
            sampler.join();
            long heapGrowth = heapAfterGc() - heapBefore;
            long directGrowth = directPeak.get() - directBefore;
            System.out.println("BodiesLargeStreamingTest: direct peak growth " + directGrowth / 1024 + " KiB"
                    + " (Netty counter " + PlatformDependent.usedDirectMemory() + "), heap growth after GC "
                    + heapGrowth / 1024 + " KiB");
            assertThat(directGrowth).as("direct memory growth during the transfer").isLessThan(MAX_GROWTH);
            assertThat(heapGrowth).as("heap growth after the transfer").isLessThan(MAX_GROWTH);
        }

        /** The largest of the direct-memory figures available in this JVM. */
        private static long directUsed() {
            long used = Math.max(0, PlatformDependent.usedDirectMemory());
            if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
                used = Math.max(used, provider.metric().usedDirectMemory());
            }
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if ("direct".equals(pool.getName())) {
                    used = Math.max(used, pool.getMemoryUsed());
                }
            }
            return used;
        }

        private static long heapAfterGc() {
            Runtime runtime = Runtime.getRuntime();
            System.gc();
            return runtime.totalMemory() - runtime.freeMemory();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            sampler.join();
        }
    }
}
