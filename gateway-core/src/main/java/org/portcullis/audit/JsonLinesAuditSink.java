package org.portcullis.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.portcullis.config.AuditConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each event as one sealed line of JSON (UTF-8) to the trail (docs/audit-log.md). Callers on event loops only
 * stamp the time and put the event on a bounded queue; a single writer thread drains the queue in batches, seals
 * each event into the hash chain ({@link AuditChain}) and writes each batch with one write to a file opened for
 * append ({@code O_APPEND}), rotating and compressing as configured ({@link AuditFileWriter}).
 *
 * <h2>Durability</h2>
 * Every batch is written to the file at once, so killing the process loses nothing already taken from the queue.
 * Forcing it to the disk (fdatasync) is what {@code audit.flush} sets: {@code every_event} forces every batch;
 * {@code interval} forces at most {@code flush_interval} after a write, and at once for a batch that holds anything
 * but an access decision (sign-in, session, admin, reload and recovery events are rare and matter most).
 *
 * <p>When the queue is full (the disk is slower than the traffic) the event is dropped and counted, and the writer
 * logs "audit events dropped: N" once per batch: blocking an event loop on audit I/O would turn a slow disk into a
 * gateway outage. {@link #close()} writes out everything queued before it returns.
 *
 * <p>With {@code audit.syslog} every line, once written to the file, is also handed to a {@link SyslogForwarder},
 * which never blocks this writer: the file is the source of truth, the syslog copy is best effort.
 */
public final class JsonLinesAuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditSink.class);

    /** Events that may wait for the writer: a few seconds of a busy gateway's denials, a few MiB of memory. */
    public static final int DEFAULT_CAPACITY = 16_384;
    private static final int MAX_BATCH = 1024;
    private static final Stamped STOP = new Stamped(Instant.EPOCH, null);

    private record Stamped(Instant time, AuditEvent event) {
    }

    private final AuditFileWriter files;
    private final Clock clock;
    private final boolean forceEveryBatch;
    private final long flushIntervalNanos;
    private final BlockingQueue<Stamped> queue;
    private final AtomicLong droppedSinceWarning = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final Thread writer;
    private final SyslogForwarder syslog;
    private final List<Stamped> written = new ArrayList<>();
    private final List<byte[]> writtenLines = new ArrayList<>();
    private final AuditAnchors anchors;
    private final String trailName;
    private final Path configFile;
    private final boolean lifecycle;
    /** The sequence last noted in the store; touched by the writer thread only (start-up and close excepted). */
    private long anchoredSequence;
    private volatile boolean closed;
    /** Set by the writer thread when a write or a force to disk failed, cleared when one succeeds (readiness). */
    private volatile boolean failing;
    private boolean unforced;
    private long forceDeadline;

    /** Opens the trail (recovering a torn last line, see {@link AuditFileWriter}) and starts the writer thread. */
    public static JsonLinesAuditSink open(AuditConfig config, Clock clock) throws IOException {
        JsonLinesAuditSink sink = new JsonLinesAuditSink(config, clock, DEFAULT_CAPACITY);
        sink.writer.start();
        return sink;
    }

    /**
     * Opens the trail for a running gateway: as {@link #open}, and the trail records the run. {@code gateway.start}
     * is the first line written (before any request can be audited) and {@code gateway.stop} the last, at
     * {@link #close()}; both carry SHA-256 of {@code configFile}. With {@code anchors} (the store), the trail's end is
     * noted there after every batch forced to disk, and compared with it now: a trail that ends before the noted end
     * lost its newest lines while the gateway was down, which is logged as an error and sealed into the trail
     * ({@link GatewayLifecycle#REASON_TRUNCATED}); the chain then continues from the noted end, so the gap stays
     * visible (docs/audit-log.md).
     *
     * @param anchors    the store's anchors, or null without a store (the end is then not checked)
     * @param configFile the config file the gateway was started with, or null
     */
    public static JsonLinesAuditSink openForGateway(AuditConfig config, Clock clock, AuditAnchors anchors,
                                                    Path configFile) throws IOException {
        JsonLinesAuditSink sink = new JsonLinesAuditSink(config, clock, DEFAULT_CAPACITY, anchors, configFile, true);
        sink.writer.start();
        return sink;
    }

    /** A sink whose writer is not started yet: tests fill its queue deterministically, then {@link #start()} it. */
    JsonLinesAuditSink(AuditConfig config, Clock clock, int capacity) throws IOException {
        this(config, clock, capacity, null, null, false);
    }

    private JsonLinesAuditSink(AuditConfig config, Clock clock, int capacity, AuditAnchors anchors, Path configFile,
                               boolean lifecycle) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.anchors = anchors;
        this.trailName = AuditAnchors.trailName(config);
        this.configFile = configFile;
        this.lifecycle = lifecycle;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.forceEveryBatch = config.flush() == AuditConfig.Flush.EVERY_EVENT;
        this.flushIntervalNanos = config.flushInterval().toNanos();
        this.files = AuditFileWriter.open(config, AuditKey.fromText(config.keyText()));
        try {
            this.syslog = config.syslog() == null ? null : SyslogForwarder.open(config.syslog());
        } catch (IOException | RuntimeException e) {
            files.close(); // a ca_bundle without certificates: fail the start, leave no open file behind
            throw e;
        }
        long endSequence = files.lastSequence();
        String endHash = files.lastHash();
        try {
            AuditRecovered recovered = files.takeRecovered();
            if (recovered != null) {
                writeNow(recovered);
            }
            if (lifecycle) {
                writeNow(startEvent(endSequence, endHash));
            }
        } catch (IOException | RuntimeException e) {
            files.close();
            if (syslog != null) {
                syslog.close();
            }
            throw e;
        }
        this.writer = new Thread(this::writeLoop, "portcullis-audit-writer");
        this.writer.setDaemon(true);
    }

    void start() {
        writer.start();
    }

    /** Seals, writes and forces one event before the writer thread runs (start-up only). */
    private void writeNow(AuditEvent event) throws IOException {
        Instant now = clock.instant();
        files.append(now, event);
        byte[] line = files.lastLine();
        files.write();
        files.force();
        recordAnchor();
        if (syslog != null) {
            syslog.offer(now, event, line);
        }
    }

    /**
     * {@code gateway.start}, after comparing where the trail ends ({@code endSequence}, {@code endHash}: before any
     * recovery line) with the anchor in the store. A trail that ends before the anchor, or at it with another hash,
     * lost its newest lines: the chain continues from the anchor, so the next line links there and the gap shows.
     */
    private GatewayLifecycle startEvent(long endSequence, String endHash) {
        String hash = configSha256();
        AuditAnchors.Anchor anchor = anchors == null ? null : anchors.read(trailName).orElse(null);
        if (anchor != null && (endSequence < anchor.sequence()
                || endSequence == anchor.sequence() && !endHash.equals(anchor.hash()))) {
            String detail = "the trail ended at sequence " + endSequence + (endSequence == 0 ? " (no line)" : "")
                    + " but the store noted sequence " + anchor.sequence() + " (hash "
                    + anchor.hash().substring(0, 16) + "…) at " + anchor.recorded() + ": "
                    + (endSequence < anchor.sequence() ? (anchor.sequence() - endSequence) + " newest lines are missing"
                    : "the last line was replaced") + "; the chain continues from the noted end";
            LOG.error("AUDIT TRAIL TRUNCATED: {} ({}); recorded as gateway.start reason {}", trailName, detail,
                    GatewayLifecycle.REASON_TRUNCATED);
            files.continueAfter(anchor.sequence(), HexFormat.of().parseHex(anchor.hash()));
            return new GatewayLifecycle(GatewayLifecycle.ACTION_START, GatewayLifecycle.REASON_TRUNCATED,
                    configPath(), hash, detail);
        }
        String last = files.lastActionAtOpen();
        if (last == null && endSequence == 0) {
            return new GatewayLifecycle(GatewayLifecycle.ACTION_START, GatewayLifecycle.REASON_NEW_TRAIL,
                    configPath(), hash, null);
        }
        if (GatewayLifecycle.ACTION_STOP.equals(last) && !files.foundTornLine()) {
            return new GatewayLifecycle(GatewayLifecycle.ACTION_START, GatewayLifecycle.REASON_AFTER_STOP,
                    configPath(), hash, null);
        }
        LOG.warn("audit trail {}: the previous run did not end with gateway.stop (crash or kill)", trailName);
        return new GatewayLifecycle(GatewayLifecycle.ACTION_START, GatewayLifecycle.REASON_AFTER_CRASH, configPath(),
                hash, "the line before is " + (files.foundTornLine() ? "a line cut short"
                : "\"" + last + "\" (sequence " + endSequence + ")") + ", not gateway.stop");
    }

    private String configPath() {
        return configFile == null ? null : configFile.toAbsolutePath().toString();
    }

    /** SHA-256 of the config file's bytes now, or null (no file, or unreadable: logged). */
    private String configSha256() {
        if (configFile == null) {
            return null;
        }
        try {
            return AuditFileWriter.sha256(Files.readAllBytes(configFile));
        } catch (IOException e) {
            LOG.warn("audit: cannot read {} to record its hash: {}", configFile, e.toString());
            return null;
        }
    }

    /** Notes the trail's last forced line in the store (writer thread, or start-up and close). */
    private void recordAnchor() {
        long sequence = files.lastSequence();
        if (anchors == null || sequence == 0 || sequence == anchoredSequence) {
            return;
        }
        try {
            anchors.record(trailName, sequence, files.lastHash(), clock.instant());
            anchoredSequence = sequence;
        } catch (RuntimeException e) {
            LOG.error("audit: noting the trail's end (sequence {}) in the store failed: {}", sequence, e.toString());
        }
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
    @Override
    public long dropped() {
        return droppedTotal.get();
    }

    @Override
    public java.util.Optional<String> problem() {
        if (closed) {
            return java.util.Optional.of("closed");
        }
        if (!writer.isAlive()) {
            return java.util.Optional.of("writer stopped");
        }
        return failing ? java.util.Optional.of("writing the audit file failed") : java.util.Optional.empty();
    }

    private void writeLoop() {
        List<Stamped> batch = new ArrayList<>();
        try {
            while (true) {
                Stamped first = unforced
                        ? queue.poll(Math.max(0, forceDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        : queue.take();
                if (first == null) {
                    force();
                    continue;
                }
                batch.add(first);
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
        boolean stop = false;
        boolean urgent = false;
        try {
            for (Stamped each : batch) {
                if (each == STOP) {
                    stop = true;
                    break;
                }
                files.append(each.time(), each.event());
                if (syslog != null) {
                    written.add(each);
                    writtenLines.add(files.lastLine());
                }
                urgent |= !(each.event() instanceof AccessDecision);
            }
            files.write();
            failing = false;
        } catch (IOException | RuntimeException e) {
            failing = true;
            LOG.error("audit write failed, events lost: {}", e.toString());
        }
        forward();
        if (forceEveryBatch || urgent || stop) {
            force();
        } else if (!unforced) {
            unforced = true;
            forceDeadline = System.nanoTime() + flushIntervalNanos;
        } else if (System.nanoTime() - forceDeadline >= 0) {
            force();
        }
        warnDropped();
        return stop;
    }

    /** Hands the batch's lines to syslog, after the file has them. */
    private void forward() {
        for (int i = 0; i < written.size(); i++) {
            syslog.offer(written.get(i).time(), written.get(i).event(), writtenLines.get(i));
        }
        written.clear();
        writtenLines.clear();
    }

    /** Lines not sent to syslog (0 without {@code audit.syslog}); the file has them all the same. */
    public long syslogDropped() {
        return syslog == null ? 0 : syslog.dropped();
    }

    private void force() {
        unforced = false;
        try {
            files.force();
            recordAnchor();
        } catch (IOException e) {
            failing = true;
            LOG.error("audit: forcing the file to disk failed: {}", e.toString());
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
        GatewayLifecycle stop = null;
        Instant stopped = clock.instant();
        byte[] stopLine = null;
        if (lifecycle) {
            stop = new GatewayLifecycle(GatewayLifecycle.ACTION_STOP, GatewayLifecycle.REASON_STOP, configPath(),
                    configSha256(), null);
        }
        if (stop != null) {
            try {
                files.append(stopped, stop);
                stopLine = files.lastLine();
            } catch (RuntimeException e) {
                // A trail that can no longer be written (its directory gone at a rotation) must not stop the rest
                // of the gateway from closing: the store, the access log and the listeners still need their close.
                stop = null;
                LOG.error("audit: writing the stop event failed: {}", e.toString());
            }
        }
        try {
            files.close(); // writes and forces what is pending
            recordAnchor();
        } catch (IOException | RuntimeException e) {
            LOG.error("closing the audit file failed: {}", e.toString());
        }
        if (stop != null && syslog != null) {
            syslog.offer(stopped, stop, stopLine);
        }
        if (syslog != null) {
            syslog.close();
        }
    }
}
