package org.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.fixtures.PostgresServer;

/** {@link PostgresDatabase} against a real PostgreSQL 15: migrations, the write counter, failures. */
class PostgresDatabaseTest {
    private static PostgresServer postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.startFresh();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void nodesStartingTogetherMigrateOnce() throws Exception {
        PostgresqlConfig config = StoreBackends.postgresql(postgres, postgres.newDatabase());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Database> opened = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<PostgresDatabase>> nodes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                nodes.add(pool.submit(() -> {
                    go.await();
                    return PostgresDatabase.open(config);
                }));
            }
            go.countDown();
            for (Future<PostgresDatabase> node : nodes) {
                opened.add(node.get());
            }
            int latest = StorageSchema.MIGRATIONS.size();
            assertThat(opened).allSatisfy(db -> assertThat(db.schemaVersion()).isEqualTo(latest));
            List<Long> versions = opened.get(0).read(c -> {
                List<Long> rows = new ArrayList<>();
                try (ResultSet row = c.createStatement().executeQuery(
                        "SELECT version FROM schema_migrations ORDER BY version")) {
                    while (row.next()) {
                        rows.add(row.getLong(1));
                    }
                }
                return rows;
            });
            assertThat(versions).hasSize(latest).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
            opened.forEach(Database::close);
        }
    }

    @Test
    void aWriteByAnotherNodeChangesTheVersionAndOwnWritesDoNot() {
        PostgresqlConfig config = StoreBackends.postgresql(postgres, postgres.newDatabase());
        try (PostgresDatabase one = PostgresDatabase.open(config); PostgresDatabase two = PostgresDatabase.open(config)) {
            long before = one.writesByOthersVersion();
            insertAnchor(one, "/var/log/one");
            assertThat(one.writesByOthersVersion()).as("own write").isEqualTo(before);
            long twoBefore = two.writesByOthersVersion();
            insertAnchor(one, "/var/log/one-again");
            assertThat(two.writesByOthersVersion()).as("node one wrote").isNotEqualTo(twoBefore);
            long oneNow = one.writesByOthersVersion();
            insertAnchor(two, "/var/log/two");
            assertThat(one.writesByOthersVersion()).as("node two wrote").isNotEqualTo(oneNow);
        }
    }

    @Test
    void aNewerSchemaIsRefused() {
        PostgresqlConfig config = StoreBackends.postgresql(postgres, postgres.newDatabase());
        try (PostgresDatabase db = PostgresDatabase.open(config)) {
            db.write(c -> c.createStatement().executeUpdate("INSERT INTO schema_migrations VALUES (999, 'future',"
                    + " 'x')"));
        }
        assertThatThrownBy(() -> PostgresDatabase.open(config)).isInstanceOf(StorageException.class)
                .hasMessageContaining("newer than this Portcullis knows");
    }

    @Test
    void anUnreachableServerFailsTheStartWithoutThePassword() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PostgresqlConfig config = new PostgresqlConfig("127.0.0.1", closedPort, "nothing", PostgresServer.USER,
                "secret-password-xyz", org.portcullis.config.PostgresqlSslMode.DISABLE, null, 2,
                Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThatThrownBy(() -> PostgresDatabase.open(config)).isInstanceOf(StorageException.class)
                .hasMessageStartingWith("cannot connect to postgresql://127.0.0.1:" + closedPort + "/nothing")
                .hasMessageNotContaining("secret-password-xyz");
    }

    @Test
    void theDialectTranslatesOnlyTypesAndLayout() {
        assertThat(PostgresDialect.ddl("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL,"
                + " b BLOB, s TEXT) WITHOUT ROWID")).isEqualTo("CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS"
                + " IDENTITY PRIMARY KEY, n BIGINT NOT NULL, b BYTEA, s TEXT)");
    }

    private static void insertAnchor(Database db, String trail) {
        db.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_anchors (trail, last_sequence,"
                    + " last_hash, updated_ms) VALUES (?, 1, ?, 0)")) {
                insert.setString(1, trail);
                insert.setString(2, "a".repeat(64));
                return insert.executeUpdate();
            }
        });
    }
}
