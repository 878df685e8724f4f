package org.portcullis.accesslog;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.portcullis.config.AccessLogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the access log off the event loop (issue 21).
 *
 * <h2>The caller's side (event loops)</h2>
 * {@link #record} reads the clock, builds one small {@link AccessLine} of the values it was given (no formatting, no
 * varargs, no string building) and offers it to a bounded queue. It never blocks and never waits for the disk: when
 * the queue is full the line is dropped and counted. The writer thread is never signalled either (a wake-up per line
 * would cost the loop a system call); it comes back on its own every {@value #PAUSE_MILLIS} ms, at once while it
 * finds full batches.
 *
 * <h2>The writer thread</h2>
 * One thread drains the queue in batches, formats each line into one reusable buffer ({@link AccessLineFormat}) and
 * writes the buffer with one write once it holds {@value #WRITE_BYTES} bytes, or at the latest
 * {@value #FLUSH_MILLIS} ms after its oldest line was formatted, and at {@link #close()}. So an idle gateway's lines
 * reach the file or stderr within about a second, and a busy one pays one system call per 64 KiB of lines.
 *
 * <h2>Nothing lost silently</h2>
 * Every line offered is either written or counted in {@link #dropped()}: queue full, offered after close, or lost to
 * a failed write. While lines are being dropped, the writer logs "access log dropped N lines in the last second" at
 * most once a second (and once more at close for the rest), so a gap in the log is visible where the admin looks.
 * After {@link #close()}, {@code written() + dropped()} is the number of lines offered.
 */
public final class AccessLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);

    /** Lines that may wait for the writer: about a third of a second of 50,000 requests per second, a few MiB. */
    public static final int DEFAULT_CAPACITY = 16_384;
    static final int WRITE_BYTES = 64 * 1024;
    static final long FLUSH_MILLIS = 1000;
    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How long the writer sleeps after a batch that did not fill: long enough that a busy gateway's lines are taken
     * in batches of a few hundred rather than one by one (a writer that came straight back would spin on the queue's
     * lock, and each wake-up costs a context switch), short enough that the queue holds 16 pauses of 50,000 lines a
     * second. An idle gateway's writer wakes 50 times a second.
     */
    static final long PAUSE_MILLIS = 20;
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS);
    private static final int MAX_BATCH = 1024;

    private final ArrayBlockingQueue<AccessLine> queue;
    private final Clock clock;
    private final LongSupplier ticker;
    private final AccessLogOutput output;
    private final AccessLineFormat format;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedSinceReport = new AtomicLong();
    private volatile long written;
    /** Lines formatted but not yet written: published by the writer for tests of the timed flush. */
    private volatile int buffered;
    private volatile boolean closed;

    // Writer thread only (and the closing thread once the writer has ended).
    private final LineBuffer pending = new LineBuffer(WRITE_BYTES + 4096);
    private final List<AccessLine> batch = new ArrayList<>(MAX_BATCH);
    private int pendingLines;
    private long oldestPendingNanos;
    private long lastReportNanos;
    private boolean writeFailureReported;

    /** Opens the configured file (or stderr) and starts the writer thread. */
    public static AccessLogWriter open(AccessLogConfig config, Clock clock) throws IOException {
        AccessLogOutput output = config.file() == null ? new StderrOutput() : RotatingFileOutput.open(config);
        AccessLogWriter writer = new AccessLogWriter(output, config.format(), clock, System::nanoTime,
                DEFAULT_CAPACITY);
        writer.start();
        return writer;
    }

    /** A writer whose thread is not started yet: tests fill its queue deterministically, then {@link #start()} it. */
    AccessLogWriter(AccessLogOutput output, AccessLogConfig.Format format, Clock clock, LongSupplier ticker,
                    int capacity) {
        this.output = Objects.requireNonNull(output, "output");
        this.format = new AccessLineFormat(Objects.requireNonNull(format, "format"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.lastReportNanos = ticker.getAsLong() - REPORT_NANOS;
        this.writer = new Thread(this::writeLoop, "portcullis-access-log");
        this.writer.setDaemon(true);
    }

    void start() {
        writer.start();
    }

    /**
     * Queues one line; never blocks. Called on event loops: only the clock read and one small record happen here.
     * See {@link AccessLine} for the values.
     */
    public void record(String requestId, String client, String method, String host, String path, int status,
                       String route, String rule, String outcome, long durationMicros) {
        if (closed || !queue.offer(new AccessLine(clock.millis(), requestId, client, method, host, path, status,
                route, rule, outcome, durationMicros))) {
            dropped.incrementAndGet();
            droppedSinceReport.incrementAndGet();
        }
    }

    /** Lines written to the file or stderr so far. */
    public long written() {
        return written;
    }

    /** Lines dropped so far: queue full, offered after close, or lost to a failed write. */
    public long dropped() {
        return dropped.get();
    }

    /** Lines the writer has formatted and holds for its next write. */
    int buffered() {
        return buffered;
    }

    private void writeLoop() {
        while (true) {
            boolean stopping = closed; // read before draining: whatever was queued before close is written
            int drained = drainOnce();
            long now = ticker.getAsLong();
            if (pendingLines > 0 && now - oldestPendingNanos >= FLUSH_NANOS) {
                flush();
            }
            if (now - lastReportNanos >= REPORT_NANOS) {
                reportDropped(now);
            }
            if (stopping && drained == 0) {
                return;
            }
            if (drained < MAX_BATCH) {
                LockSupport.parkNanos(this, PAUSE_NANOS);
            }
        }
    }

    /** Formats one batch from the queue into the pending buffer, writing it whenever it is full; the batch's size. */
    private int drainOnce() {
        batch.clear();
        queue.drainTo(batch, MAX_BATCH);
        for (AccessLine line : batch) {
            if (output.rotationDue(line.epochMillis(), pending.size())) {
                flush();
                try {
                    output.rotate(line.epochMillis());
                } catch (IOException | RuntimeException e) {
                    failed(e); // the next writes fail too, and count their lines as dropped
                }
            }
            if (pendingLines == 0) {
                oldestPendingNanos = ticker.getAsLong();
            }
            format.append(line, pending);
            pendingLines++;
            if (pending.size() >= WRITE_BYTES) {
                flush();
            }
        }
        buffered = pendingLines;
        return batch.size();
    }

    /** Writes the pending lines; lines a failed write lost are counted as dropped. */
    private void flush() {
        if (pendingLines == 0) {
            return;
        }
        int lines = pendingLines;
        pendingLines = 0;
        buffered = 0;
        try {
            output.write(pending);
            written += lines;
            writeFailureReported = false;
        } catch (IOException | RuntimeException e) {
            pending.reset();
            dropped.addAndGet(lines);
            droppedSinceReport.addAndGet(lines);
            failed(e);
        }
    }

    private void failed(Exception e) {
        if (!writeFailureReported) {
            writeFailureReported = true; // once per run of failures: the drop count tells how many lines it cost
            LOG.error("access log write failed, lines lost (counted as dropped): {}", e.toString());
        }
    }

    private void reportDropped(long now) {
        long lines = droppedSinceReport.getAndSet(0);
        if (lines > 0) {
            LOG.warn("access log dropped {} lines in the last second", lines);
        }
        lastReportNanos = now;
    }

    /**
     * Writes out every line queued before it and closes the file; later lines are dropped (counted). Call it after
     * the event loops have stopped, so that nothing is still being recorded.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writer.isAlive()) {
            LockSupport.unpark(writer);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // A line that raced with the close (its caller saw closed == false) or a writer never started: written here.
        while (drainOnce() > 0) {
            // until the queue is empty
        }
        flush();
        reportDropped(ticker.getAsLong());
        try {
            output.close();
        } catch (IOException e) {
            LOG.error("closing the access log failed: {}", e.toString());
        }
    }
}
