package org.portcullis.storage;

import java.nio.file.Path;
import java.time.Duration;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.config.PostgresqlSslMode;
import org.portcullis.fixtures.PostgresServer;

/** Opens "nodes" on one store of either backend, for tests that run against both. */
public final class StoreBackends {
    private StoreBackends() {
    }

    /** The settings a gateway would use for database {@code name} of {@code server} (no TLS on loopback). */
    public static PostgresqlConfig postgresql(PostgresServer server, String name) {
        return postgresql(server, name, 4, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    public static PostgresqlConfig postgresql(PostgresServer server, String name, int poolSize,
                                              Duration connectTimeout, Duration queryTimeout) {
        return new PostgresqlConfig(server.host(), server.port(), name, PostgresServer.USER, PostgresServer.PASSWORD,
                PostgresqlSslMode.DISABLE, null, poolSize, connectTimeout, queryTimeout);
    }

    /** One more node on the store: another SQLite connection set on the same file, or another PostgreSQL pool. */
    public static Database openNode(String backend, Path sqliteDir, PostgresqlConfig postgresql) {
        return switch (backend) {
            case "sqlite" -> EmbeddedDatabase.open(sqliteDir);
            case "postgresql" -> PostgresDatabase.open(postgresql);
            default -> throw new IllegalArgumentException(backend);
        };
    }
}
