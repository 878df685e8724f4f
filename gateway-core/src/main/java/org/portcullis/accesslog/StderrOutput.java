package org.portcullis.accesslog;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Lines to the process's stderr (where its other logs go), one write per batch of whole lines. {@code System.err} is
 * looked up at each write, so a test or a launcher that replaces it gets the lines. Never rotated.
 */
final class StderrOutput implements AccessLogOutput {
    @Override
    public boolean rotationDue(long epochMillis, int pendingBytes) {
        return false;
    }

    @Override
    public void rotate(long epochMillis) {
        throw new IllegalStateException("StderrOutput: stderr is not rotated");
    }

    @Override
    public void write(LineBuffer pending) throws IOException {
        PrintStream err = System.err;
        pending.writeTo(err);
        err.flush();
        pending.reset();
        if (err.checkError()) {
            throw new IOException("stderr reported an error");
        }
    }

    @Override
    public void close() {
        System.err.flush();
    }
}
