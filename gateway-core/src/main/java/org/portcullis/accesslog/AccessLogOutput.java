package org.portcullis.accesslog;

import java.io.IOException;

/** Where the writer thread puts formatted lines: a rotated file or stderr. Only the writer thread calls it. */
interface AccessLogOutput extends AutoCloseable {
    /**
     * Called before a line stamped {@code epochMillis} is formatted after the {@code pending} lines: a file whose time
     * or size is up writes {@code pending} and rotates here, so a line never straddles two files.
     */
    void beforeLine(long epochMillis, LineBuffer pending) throws IOException;

    /** Writes {@code pending} (whole lines) with one write, and resets it. */
    void write(LineBuffer pending) throws IOException;

    @Override
    void close() throws IOException;
}
