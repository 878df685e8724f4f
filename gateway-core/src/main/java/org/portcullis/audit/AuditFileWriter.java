package org.portcullis.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.portcullis.config.AuditConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit writer thread's view of the trail's files: seals events into lines ({@link AuditChain}), appends them to
 * the active file, rotates it (daily or by size) and has rotated files gzip-compressed on a thread of their own.
 *
 * <h2>Start and crash recovery</h2>
 * {@link #open} continues the chain from the last complete line of the active file (or, when that is empty, of the
 * newest rotated file). If the active file does not end in a newline, the process or machine stopped in the middle of
 * a write: the fragment is kept where it is as evidence, ended with a newline, and an {@link AuditRecovered} event
 * that binds it (length and SHA-256) is the first line written. Lines are whole {@code write}s on a file opened for
 * append, so a killed process leaves at most that one cut line; only a machine crash can lose lines not yet forced
 * ({@link #force()}). An active file whose last line is complete but not an audit line (written before the trail
 * was chained) is renamed to {@code …-unchained-<millis>…} and a new chain starts.
 *
 * <p>Not thread-safe: only the writer thread calls it.
 */
final class AuditFileWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFileWriter.class);
    /** Lines are at most a few KiB (paths are bounded by the request limits); the tail read looks at this much. */
    private static final int TAIL_BYTES = 1 << 20;

    private final Path active;
    private final AuditConfig.Rotation rotation;
    private final long maxSize;
    private final boolean compress;
    private final AuditChain chain;
    private final Pending pending = new Pending();
    private int lastStart;
    private int lastEnd;
    private final ExecutorService compressor;
    private FileChannel channel;
    private long fileBytes;
    private LocalDate firstDay;
    private long firstSequence;
    private boolean fileStart;
    /** The next line names its predecessor's hash although it does not start a file (after {@link #continueAfter}). */
    private boolean linkNext;
    private AuditRecovered recovered;
    /** The {@code event.action} of the trail's last complete line when it was opened, or null for a new trail. */
    private String lastActionAtOpen;
    private boolean tornAtOpen;

    private AuditFileWriter(AuditConfig config, AuditKey key, AuditChain chain) {
        this.active = config.file();
        this.rotation = config.rotation();
        this.maxSize = config.maxSize();
        this.compress = config.compress();
        this.chain = chain;
        this.compressor = compress ? Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "portcullis-audit-gzip");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /** Opens the active file and continues its chain; see the class comment for recovery. */
    static AuditFileWriter open(AuditConfig config, AuditKey key) throws IOException {
        Path active = config.file();
        Tail tail = Tail.read(active);
        if (tail.lastComplete != null && tail.lastLine == null) {
            Path aside = active.resolveSibling(unchainedName(active));
            Files.move(active, aside);
            LOG.warn("audit file {} does not end in a chained audit line; moved it to {} and started a new chain",
                    active, aside);
            tail = Tail.read(active);
        }
        AuditLine last = tail.lastLine != null ? tail.lastLine : lastOfRotated(active);
        AuditChain chain = last == null ? AuditChain.start(key)
                : new AuditChain(key, last.sequence(), HexFormat.of().parseHex(last.hash()));
        chain.nodeId(config.nodeId());
        AuditFileWriter writer = new AuditFileWriter(config, key, chain);
        writer.lastActionAtOpen = last == null ? null : last.action();
        writer.channel = OwnerOnlyFiles.openForAppend(active);
        writer.fileBytes = writer.channel.size();
        writer.fileStart = tail.firstLine == null;
        if (tail.firstLine != null) {
            writer.firstDay = day(tail.firstLine);
            writer.firstSequence = tail.firstLine.sequence();
        }
        if (tail.torn != null) {
            writer.channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            writer.fileBytes++;
            writer.tornAtOpen = true;
            writer.recovered = new AuditRecovered(active.toString(), tail.torn.length, sha256(tail.torn));
            LOG.warn("audit file {} ended in a line cut short ({} bytes); kept it and recorded {}", active,
                    tail.torn.length, AuditRecovered.ACTION);
        }
        return writer;
    }

    /** The {@code event.action} of the trail's last line when it was opened (null: a new trail). */
    String lastActionAtOpen() {
        return lastActionAtOpen;
    }

    /** Whether {@link #open} found a line cut short (a recovery event is due or was taken). */
    boolean foundTornLine() {
        return tornAtOpen;
    }

    long lastSequence() {
        return chain.lastSequence();
    }

    String lastHash() {
        return HexFormat.of().formatHex(chain.lastHash());
    }

    /** Continues the chain after {@code sequence}/{@code hash}; the next line carries the link (see the sink). */
    void continueAfter(long sequence, byte[] hash) {
        chain.continueAfter(sequence, hash);
        linkNext = true;
    }

    /** The recovery event {@link #open} found necessary, once; null otherwise. */
    AuditRecovered takeRecovered() {
        AuditRecovered result = recovered;
        recovered = null;
        return result;
    }

    /** Seals {@code event} into the pending lines, rotating first when the event starts a new day or size. */
    void append(Instant time, AuditEvent event) {
        LocalDate day = LocalDate.ofInstant(time, ZoneOffset.UTC);
        if (!fileStart && dueForRotation(day)) {
            rotate();
        }
        if (fileStart) {
            firstDay = day;
            firstSequence = chain.lastSequence() + 1;
        }
        lastStart = pending.size();
        chain.append(time, event, fileStart || linkNext, pending);
        lastEnd = pending.size() - 1; // without the newline
        fileStart = false;
        linkNext = false;
    }

    /** The line the last {@link #append} sealed, without its newline (a copy, for the syslog forwarder). */
    byte[] lastLine() {
        return pending.copy(lastStart, lastEnd);
    }

    /** The lines not yet written; lets {@link #lastLine()} copy one line without copying them all. */
    private static final class Pending extends ByteArrayOutputStream {
        Pending() {
            super(64 * 1024);
        }

        byte[] copy(int from, int to) {
            return java.util.Arrays.copyOfRange(buf, from, to);
        }
    }

    private boolean dueForRotation(LocalDate day) {
        return switch (rotation) {
            case DAILY -> firstDay != null && !day.equals(firstDay);
            case SIZE -> fileBytes + pending.size() >= maxSize;
            case NEVER -> false;
        };
    }

    /** Writes the pending lines to the active file with one append. */
    void write() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(pending.toByteArray());
        pending.reset();
        fileBytes += bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Forces what was written to the disk (fdatasync). */
    void force() throws IOException {
        channel.force(false);
    }

    private void rotate() {
        try {
            write();
            force();
            channel.close();
        } catch (IOException e) {
            LOG.error("audit rotation: finishing {} failed: {}", active, e.toString());
        }
        Path target = AuditFiles.rotatedName(active, firstDay, firstSequence);
        try {
            Files.move(active, target);
            if (compressor != null) {
                compressor.execute(() -> gzip(target));
            }
        } catch (IOException e) {
            LOG.error("audit rotation: renaming {} to {} failed, keeps appending: {}", active, target, e.toString());
        }
        try {
            channel = OwnerOnlyFiles.openForAppend(active);
            fileBytes = channel.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("audit rotation: cannot open " + active, e);
        }
        fileStart = fileBytes == 0;
    }

    /** {@code file} → {@code file.gz} via a temporary file, so a crash leaves either the original or both. */
    static void gzip(Path file) {
        Path gz = file.resolveSibling(file.getFileName() + AuditFiles.GZIP_SUFFIX);
        Path temporary = file.resolveSibling(file.getFileName() + AuditFiles.GZIP_SUFFIX + ".tmp");
        try {
            try (InputStream in = Files.newInputStream(file);
                 OutputStream out = new GZIPOutputStream(OwnerOnlyFiles.newOutputStream(temporary), 1 << 16)) {
                in.transferTo(out);
            }
            try (FileChannel written = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                written.force(true);
            }
            Files.move(temporary, gz, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(file);
        } catch (IOException e) {
            LOG.error("audit: compressing {} failed, left uncompressed: {}", file, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            write();
            force();
        } finally {
            channel.close();
            if (compressor != null) {
                compressor.shutdown();
                try {
                    compressor.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static LocalDate day(AuditLine line) {
        String timestamp = line.field(AuditJson.TIMESTAMP);
        try {
            return LocalDate.ofInstant(Instant.parse(timestamp), ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String unchainedName(Path active) {
        String name = active.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return stem + "-unchained-" + System.currentTimeMillis() + extension;
    }

    private static AuditLine lastOfRotated(Path active) throws IOException {
        List<Path> trail = AuditFiles.trail(active);
        trail.remove(active);
        if (trail.isEmpty()) {
            return null;
        }
        AuditLine last = null;
        try (AuditLineReader reader = new AuditLineReader(List.of(trail.get(trail.size() - 1)))) {
            AuditLineReader.RawLine line;
            while ((line = reader.next()) != null) {
                AuditLine parsed = AuditLine.parse(line.bytes(), line.length());
                if (parsed != null) {
                    last = parsed;
                }
            }
        }
        return last;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("AuditFileWriter: SHA-256 is not available", e);
        }
    }

    /**
     * What the end and the start of the active file hold.
     *
     * @param firstLine    the first line, when it is a sealed audit line
     * @param lastComplete the last newline-terminated line's bytes, or null if none
     * @param lastLine     that line parsed, or null if it is not an audit line
     * @param torn         the bytes after the last newline, or null when the file ends in one
     */
    private record Tail(AuditLine firstLine, byte[] lastComplete, AuditLine lastLine, byte[] torn) {
        static Tail read(Path file) throws IOException {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return new Tail(null, null, null, null);
            }
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = in.size();
                int window = (int) Math.min(size, TAIL_BYTES);
                ByteBuffer buffer = ByteBuffer.allocate(window);
                while (buffer.hasRemaining() && in.read(buffer, size - window + buffer.position()) >= 0) {
                    // read the whole window
                }
                byte[] bytes = buffer.array();
                int lastNewline = lastIndexOf(bytes, window - 1);
                byte[] torn = lastNewline == window - 1 ? null
                        : java.util.Arrays.copyOfRange(bytes, lastNewline + 1, window);
                byte[] lastComplete = null;
                AuditLine lastLine = null;
                if (lastNewline >= 0) {
                    int start = lastIndexOf(bytes, lastNewline - 1) + 1;
                    lastComplete = java.util.Arrays.copyOfRange(bytes, start, lastNewline);
                    lastLine = AuditLine.parse(lastComplete, lastComplete.length);
                }
                AuditLine firstLine = null;
                try (AuditLineReader reader = new AuditLineReader(List.of(file))) {
                    // The first line may be a recovered fragment; then the recovery event after it starts the file.
                    for (int i = 0; i < 2 && firstLine == null; i++) {
                        AuditLineReader.RawLine line = reader.next();
                        if (line == null || !line.terminated()) {
                            break;
                        }
                        firstLine = AuditLine.parse(line.bytes(), line.length());
                    }
                }
                return new Tail(firstLine, lastComplete, lastLine, torn);
            }
        }

        private static int lastIndexOf(byte[] bytes, int from) {
            for (int i = from; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
