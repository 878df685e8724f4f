package org.portcullis.identity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.UsersFile;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.watch.FileWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the users file when it changes, like the config: the new file is loaded and checked completely, and only a
 * valid one replaces the directory's snapshot. A bad file is refused with its errors logged and the previous
 * accounts stay in force (fail closed would lock everyone out; fail open is not an option).
 *
 * <p>Watching is {@link FileWatch}'s: the directory of the file is watched, not the file, because editors and
 * {@code portcullis users} replace the file by moving a new one over it.
 */
public final class UsersFileReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsersFileReloader.class);

    /** What one reload attempt did. */
    public enum Outcome { APPLIED, REFUSED }

    /** Told about every reload attempt, by the watcher or by SIGHUP (audit trail, tests). */
    public interface Listener {
        /** @param errorCount how many errors refused the file (0 when it applied) */
        void reloaded(Outcome outcome, int errorCount);
    }

    private final Path file;
    private final UsersFileLoader loader;
    private final FileUserDirectory directory;
    private final Listener listener;
    private FileWatch watch;

    public UsersFileReloader(Path file, UsersFileLoader loader, FileUserDirectory directory, Listener listener) {
        this.file = file.toAbsolutePath().normalize();
        this.loader = Objects.requireNonNull(loader, "loader");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Loads, checks and publishes; never throws. Safe to call from any thread. */
    public synchronized Outcome reload() {
        Outcome outcome;
        int errors = 0;
        try {
            errors = load();
            outcome = errors == 0 ? Outcome.APPLIED : Outcome.REFUSED;
        } catch (RuntimeException e) {
            LOG.error("users file reload refused: {}; the previous users stay in force", e.toString());
            errors = 1;
            outcome = Outcome.REFUSED;
        }
        listener.reloaded(outcome, errors);
        return outcome;
    }

    /** Loads and publishes; returns how many errors refused the file (0 when it was published). */
    private int load() {
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
            return Math.max(count, 1);
        }
        directory.replace(loaded);
        LOG.info("users file reloaded from {}: {} users", file, loaded.users().size());
        return 0;
    }

    /** Starts watching the file's directory on a daemon thread. */
    public synchronized void start() throws IOException {
        if (watch != null) {
            return;
        }
        watch = FileWatch.start(Set.of(file), "portcullis-users-watch", this::reload);
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
