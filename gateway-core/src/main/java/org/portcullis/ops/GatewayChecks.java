package org.portcullis.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.portcullis.audit.AuditSink;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.storage.Database;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.StorageExecutor;

/**
 * The readiness checks of the gateway as {@code run} starts it: the config (a snapshot is being served), the store
 * (a read answers through the same threads the request path uses, and the data directory is writable) and the audit
 * sink (its last write succeeded). Further parts (directory, Redis, PostgreSQL) add a {@link HealthCheck} of their own.
 */
public final class GatewayChecks {
    /** How long the store may take to answer the check's read before it counts as down. */
    static final Duration STORE_ANSWER = Duration.ofSeconds(2);

    private GatewayChecks() {
    }

    /**
     * @param storage        the store, or null when none is configured (then no store check)
     * @param storageThreads the threads the request path's store calls run on
     * @param more           the checks of optional parts (the directory, Redis), after the standard ones
     */
    public static List<HealthCheck> standard(Supplier<GatewaySnapshot> snapshot, Database storage,
                                             StorageExecutor storageThreads, AuditSink audit,
                                             List<HealthCheck> more) {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(check("config", () -> snapshot.get() == null ? Optional.of("no config loaded") : Optional.empty()));
        if (storage != null) {
            checks.add(check("store", () -> store(storage, storageThreads)));
        }
        checks.add(check("audit", audit::problem));
        checks.addAll(more);
        return checks;
    }

    private static Optional<String> store(Database storage, StorageExecutor threads) {
        // The embedded store needs its directory writable; a PostgreSQL store is judged by its answer alone.
        if (storage instanceof EmbeddedDatabase embedded) {
            Path directory = embedded.file().getParent();
            if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
                return Optional.of("data directory missing or not writable");
            }
        }
        try {
            threads.submit(() -> storage.read(connection -> {
                try (Statement statement = connection.createStatement()) {
                    return statement.execute("SELECT 1");
                }
            })).get(STORE_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("no answer within 2 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("check interrupted");
        } catch (ExecutionException e) {
            return Optional.of("store call failed");
        }
    }

    /** A check named {@code name} whose problem {@code problem} tells (a fixed phrase, or empty). */
    public static HealthCheck check(String name, Supplier<Optional<String>> problem) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> problem() {
                return problem.get();
            }
        };
    }
}
