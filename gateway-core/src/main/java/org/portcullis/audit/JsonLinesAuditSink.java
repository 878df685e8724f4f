package org.portcullis.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each event as one line of JSON (UTF-8) to a file. Callers on event loops only stamp the time and put the
 * event on a bounded queue; a single writer thread drains the queue in batches and writes each batch with one write
 * to a channel opened for append ({@code O_APPEND}), so lines from this process never interleave with each other or
 * overwrite what another writer (logrotate's copytruncate, an admin's marker) put there.
 *
 * <p>When the queue is full (the disk is slower than the traffic) the event is dropped and counted, and the writer
 * logs "audit events dropped: N" once per batch: blocking an event loop on audit I/O would turn a slow disk into a
 * gateway outage. {@link #close()} writes out everything queued before it returns.
 */
public final class JsonLinesAuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditSink.class);

    /** Events that may wait for the writer: a few seconds of a busy gateway's denials, a few MiB of memory. */
    public static final int DEFAULT_CAPACITY = 16_384;
    private static final int MAX_BATCH = 1024;
    private static final Stamped STOP = new Stamped(Instant.EPOCH, null);

    private record Stamped(Instant time, AuditEvent event) {
    }

    private final FileChannel channel;
    private final Clock clock;
    private final BlockingQueue<Stamped> queue;
    private final AtomicLong droppedSinceWarning = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final AuditJson json = new AuditJson();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
    private final Thread writer;
    private volatile boolean closed;

    /** Opens (creating if needed) {@code file} for append and starts the writer thread. */
    public static JsonLinesAuditSink open(Path file, Clock clock) throws IOException {
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file, clock, DEFAULT_CAPACITY);
        sink.writer.start();
        return sink;
    }

    /** A sink whose writer is not started yet: tests fill its queue deterministically, then {@link #start()} it. */
    JsonLinesAuditSink(Path file, Clock clock, int capacity) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        this.writer = new Thread(this::writeLoop, "portcullis-audit-writer");
        this.writer.setDaemon(true);
    }

    void start() {
        writer.start();
    }

    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (closed || !queue.offer(new Stamped(clock.instant(), event))) {
            droppedSinceWarning.incrementAndGet();
            droppedTotal.incrementAndGet();
        }
    }

    /** Events dropped since the sink was opened (queue full, or recorded after close). */
    public long dropped() {
        return droppedTotal.get();
    }

    private void writeLoop() {
        List<Stamped> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                if (writeBatch(batch)) {
                    return;
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code batch} up to the stop marker; true if the marker was in it. */
    private boolean writeBatch(List<Stamped> batch) {
        buffer.reset();
        boolean stop = false;
        for (Stamped each : batch) {
            if (each == STOP) {
                stop = true;
                break;
            }
            json.write(each.time(), each.event(), buffer);
        }
        flush();
        warnDropped();
        return stop;
    }

    private void flush() {
        if (buffer.size() == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            LOG.error("audit write failed, events lost: {}", e.toString());
        }
    }

    private void warnDropped() {
        long dropped = droppedSinceWarning.getAndSet(0);
        if (dropped > 0) {
            LOG.warn("audit events dropped: {}", dropped);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writer.isAlive()) {
            try {
                queue.put(STOP);
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Whatever is still queued (writer never started, or events that raced with the stop marker) goes out now.
        List<Stamped> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.remove(STOP);
        writeBatch(rest);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.error("closing the audit file failed: {}", e.toString());
        }
    }
}
