package org.portcullis.accesslog;

import java.io.IOException;

/** Where the writer thread puts formatted lines: a rotated file or stderr. Only the writer thread calls it. */
interface AccessLogOutput extends AutoCloseable {
    /**
     * Whether a new file is due before the line stamped {@code epochMillis}, with {@code pendingBytes} formatted but
     * not yet written. The writer then writes what is pending and calls {@link #rotate}, so a line never straddles
     * two files.
     */
    boolean rotationDue(long epochMillis, int pendingBytes);

    /** Starts a new file, whose first line is stamped {@code epochMillis} (everything before it is written). */
    void rotate(long epochMillis) throws IOException;

    /** Writes {@code pending} (whole lines) with one write, and resets it. */
    void write(LineBuffer pending) throws IOException;

    @Override
    void close() throws IOException;
}
