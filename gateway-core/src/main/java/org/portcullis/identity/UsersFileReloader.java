package org.portcullis.identity;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;

import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.UsersFile;
import org.portcullis.config.UsersFileLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the users file when it changes, like the config: the new file is loaded and checked completely, and only a
 * valid one replaces the directory's snapshot. A bad file is refused with its errors logged and the previous
 * accounts stay in force (fail closed would lock everyone out; fail open is not an option).
 *
 * <p>The directory of the file is watched, not the file: editors and {@code portcullis users} replace the file by
 * moving a new one over it, which a watch on the file itself would miss.
 */
public final class UsersFileReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsersFileReloader.class);
    /** Editors write in several steps; a short pause lets the burst settle before reading. */
    private static final long SETTLE_MILLIS = 200;

    /** What one reload attempt did. */
    public enum Outcome { APPLIED, REFUSED }

    /** Told about every reload attempt made by the watcher (tests, metrics). */
    public interface Listener {
        void reloaded(Outcome outcome);
    }

    private final Path file;
    private final UsersFileLoader loader;
    private final FileUserDirectory directory;
    private final Listener listener;
    private WatchService watcher;

    public UsersFileReloader(Path file, UsersFileLoader loader, FileUserDirectory directory, Listener listener) {
        this.file = file.toAbsolutePath().normalize();
        this.loader = Objects.requireNonNull(loader, "loader");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Loads, checks and publishes; never throws. Safe to call from any thread. */
    public synchronized Outcome reload() {
        UsersFile loaded;
        try {
            loaded = loader.load(file);
        } catch (ConfigException e) {
            for (ConfigProblem error : e.errors()) {
                LOG.error("users file reload refused: {}", error);
            }
            int count = e.errors().size();
            LOG.error("users file reload refused ({} {}); the previous users stay in force", count,
                    count == 1 ? "error" : "errors");
            return Outcome.REFUSED;
        } catch (RuntimeException e) {
            LOG.error("users file reload refused: {}; the previous users stay in force", e.toString());
            return Outcome.REFUSED;
        }
        directory.replace(loaded);
        LOG.info("users file reloaded from {}: {} users", file, loaded.users().size());
        return Outcome.APPLIED;
    }

    /** Starts watching the file's directory on a daemon thread. */
    public synchronized void start() throws IOException {
        if (watcher != null) {
            return;
        }
        watcher = FileSystems.getDefault().newWatchService();
        file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        WatchService service = watcher;
        Thread thread = new Thread(() -> watchLoop(service), "portcullis-users-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watchLoop(WatchService service) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = false;
                for (var event : key.pollEvents()) {
                    if (event.context() instanceof Path name && file.getFileName().equals(name)) {
                        relevant = true;
                    }
                }
                key.reset();
                if (relevant) {
                    Thread.sleep(SETTLE_MILLIS);
                    drain(service);
                    listener.reloaded(reload());
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
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing a watch service has nothing to report
            }
            watcher = null;
        }
    }
}
