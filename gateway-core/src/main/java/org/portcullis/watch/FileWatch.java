package org.portcullis.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;

/**
 * Calls back on a daemon thread when any of a set of files is created, changed or deleted. The files' directories are
 * watched, not the files, so a file replaced by an atomic move (as editors and the CLI write them) is seen too. After
 * an event the thread waits {@link #SETTLE_MILLIS} and swallows the rest of the burst before calling back once:
 * editors write in several steps. Watching goes on after each call back until {@link #close()}, which may be called
 * from the call back itself.
 */
public final class FileWatch implements AutoCloseable {
    static final long SETTLE_MILLIS = 200;

    private final WatchService service;

    private FileWatch(WatchService service) {
        this.service = service;
    }

    /** @param files absolute paths; {@code onChange} runs on the watch thread */
    public static FileWatch start(Set<Path> files, String threadName, Runnable onChange) throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        try {
            Set<Path> dirs = new HashSet<>();
            for (Path file : files) {
                Path dir = file.getParent();
                if (dir != null && dirs.add(dir)) {
                    dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                }
            }
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        Set<Path> watched = Set.copyOf(files);
        Thread thread = new Thread(() -> watchLoop(service, watched, onChange), threadName);
        thread.setDaemon(true);
        thread.start();
        return new FileWatch(service);
    }

    private static void watchLoop(WatchService service, Set<Path> files, Runnable onChange) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = false;
                Path dir = (Path) key.watchable();
                for (var event : key.pollEvents()) {
                    if (event.context() instanceof Path name && files.contains(dir.resolve(name))) {
                        relevant = true;
                    }
                }
                key.reset();
                if (relevant) {
                    Thread.sleep(SETTLE_MILLIS);
                    drain(service);
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(WatchService service) {
        WatchKey key;
        while ((key = service.poll()) != null) {
            key.pollEvents();
            key.reset();
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // closing a watch service has nothing to report
        }
    }
}
