package org.portcullis.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the lines of several audit files in the order given, as bytes (the hash covers bytes, not decoded text),
 * transparently un-gzipping files whose name ends in {@code .gz}. Knows for each line its file, its 1-based number
 * and whether a newline ended it (only a file's last line can lack one: it was cut short). One line of look-ahead
 * ({@link #peek()}) lets the verifier tell an inserted line from an edited one.
 */
public final class AuditLineReader implements Closeable {
    private static final int BUFFER = 1 << 16;

    /**
     * One line without its newline.
     *
     * @param terminated false when the file ended before a newline
     */
    public record RawLine(Path file, long number, byte[] bytes, int length, boolean terminated) {
        public String text() {
            return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final List<Path> files;
    private int nextFile;
    private Path current;
    private InputStream in;
    private long lineNumber;
    private byte[] line = new byte[4096];
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private RawLine peeked;

    public AuditLineReader(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /** The next line, or null after the last file. */
    public RawLine next() throws IOException {
        if (peeked != null) {
            RawLine result = peeked;
            peeked = null;
            return result;
        }
        return read();
    }

    /** The line {@link #next()} will return, without consuming it. */
    public RawLine peek() throws IOException {
        if (peeked == null) {
            peeked = read();
        }
        return peeked;
    }

    /** The file the last line read came from. */
    public Path currentFile() {
        return current;
    }

    private RawLine read() throws IOException {
        while (true) {
            if (in == null) {
                if (nextFile >= files.size()) {
                    return null;
                }
                current = files.get(nextFile++);
                in = open(current);
                lineNumber = 0;
                position = 0;
                limit = 0;
            }
            int length = 0;
            boolean newline = false;
            scan:
            while (true) {
                if (position == limit && !fill()) {
                    break;
                }
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        length = append(length, position, i);
                        position = i + 1;
                        newline = true;
                        break scan;
                    }
                }
                length = append(length, position, limit);
                position = limit;
            }
            if (!newline && length == 0) {
                in.close();
                in = null;
                continue;
            }
            lineNumber++;
            return new RawLine(current, lineNumber, Arrays.copyOf(line, length), length, newline);
        }
    }

    private int append(int length, int from, int to) {
        int count = to - from;
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        }
        System.arraycopy(buffer, from, line, length, count);
        return length + count;
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer, 0, buffer.length);
        if (read <= 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return file.getFileName().toString().endsWith(AuditFiles.GZIP_SUFFIX)
                    ? new GZIPInputStream(raw, BUFFER) : raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            in = null;
        }
    }
}
