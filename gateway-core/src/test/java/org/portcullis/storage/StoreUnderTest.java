package org.portcullis.storage;

import java.nio.file.Path;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.fixtures.PostgresServer;

/**
 * The store a parameterized store test runs on: {@code sqlite} (the file under the test's temp folder) or
 * {@code postgresql} (a fresh database on the JVM's shared test cluster). Each {@link #open()} is one more node on
 * the same store (another connection set on the file, another pool on the database), so "reopen" and "two
 * processes" mean the same on both.
 */
public final class StoreUnderTest {
    private final String backend;
    private final Path sqliteDir;
    private final PostgresqlConfig postgresql;

    private StoreUnderTest(String backend, Path sqliteDir, PostgresqlConfig postgresql) {
        this.backend = backend;
        this.sqliteDir = sqliteDir;
        this.postgresql = postgresql;
    }

    /** A new, empty store of {@code backend} ({@code sqlite} or {@code postgresql}). */
    public static StoreUnderTest fresh(String backend, Path sqliteDir) {
        if (backend.equals("postgresql")) {
            PostgresServer server = PostgresServer.shared();
            return new StoreUnderTest(backend, sqliteDir, StoreBackends.postgresql(server, server.newDatabase()));
        }
        return new StoreUnderTest(backend, sqliteDir, null);
    }

    public Database open() {
        return StoreBackends.openNode(backend, sqliteDir, postgresql);
    }

    public boolean isSqlite() {
        return backend.equals("sqlite");
    }
}
