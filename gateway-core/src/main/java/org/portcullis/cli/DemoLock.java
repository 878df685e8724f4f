package org.portcullis.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A demo's claim on its data directory, held for as long as the demo runs: an OS file lock on {@code demo.lock}
 * (released by the OS when the process ends, however it ends), with the owner's process id written in it for the
 * message a second demo prints. Taken before the demo writes anything, because the running gateway hot-reloads its
 * config and users file: a second demo rewriting them would break the first (a new password, a new upstream port).
 */
final class DemoLock implements AutoCloseable {
    static final String FILE_NAME = "demo.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DemoLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another demo holds it (its pid, if known, in {@code holder}). */
    static DemoLock tryAcquire(Path dataDir, StringBuilder holder) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process (a second demo started in-process)
        }
        if (lock == null) {
            channel.close();
            holder.append(Files.readString(file, StandardCharsets.US_ASCII).strip());
            return null;
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new DemoLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending; the OS releases the lock with it
        }
    }
}
