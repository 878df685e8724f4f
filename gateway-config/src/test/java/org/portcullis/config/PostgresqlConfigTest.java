package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code storage.backend} and {@code storage.postgresql}: the values read, and one test per message. */
class PostgresqlConfigTest {
    static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    static final String STORAGE = "storage:\n  data_dir: .\n  encryption_key: " + KEY + "\n";

    @TempDir
    Path dir;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir, Map.of("PG_PASSWORD", "s3cret-from-env"));
    }

    @Test
    void sqliteIsTheDefault() throws ConfigException {
        StorageConfig storage = files.load(MINIMAL + STORAGE).config().storage();
        assertThat(storage.backend()).isEqualTo(StorageBackend.SQLITE);
        assertThat(storage.postgresql()).isNull();
    }

    @Test
    void readsEveryPostgresqlKeyWithThePasswordFromTheEnvironment() throws ConfigException {
        StorageConfig storage = files.load(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://db.example.org:6432/gateway\n    user: portcullis\n"
                + "    password: ${env:PG_PASSWORD}\n    ssl_mode: require\n    pool_size: 20\n"
                + "    connect_timeout: 2s\n    query_timeout: 3s\n").config().storage();
        assertThat(storage.backend()).isEqualTo(StorageBackend.POSTGRESQL);
        PostgresqlConfig pg = storage.postgresql();
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6432/gateway");
        assertThat(pg.user()).isEqualTo("portcullis");
        assertThat(pg.password()).isEqualTo("s3cret-from-env");
        assertThat(pg.sslMode()).isEqualTo(PostgresqlSslMode.REQUIRE);
        assertThat(pg.poolSize()).isEqualTo(20);
        assertThat(pg.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(pg.queryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(storage.toString()).doesNotContain("s3cret").contains("(redacted, 15 chars)");
    }

    @Test
    void defaultsAreVerifyFullTenConnectionsAndPort5432() throws ConfigException {
        PostgresqlConfig pg = files.load(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://db/gateway\n    user: portcullis\n").config().storage().postgresql();
        assertThat(pg.sslMode()).isEqualTo(PostgresqlSslMode.VERIFY_FULL);
        assertThat(pg.poolSize()).isEqualTo(10);
        assertThat(pg.port()).isEqualTo(5432);
        assertThat(pg.password()).isNull();
        assertThat(pg.stalenessBudget()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void stalenessBudgetOfTheListenNotifyFanOut() throws ConfigException {
        PostgresqlConfig pg = files.load(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://db/gateway\n    user: portcullis\n    staleness_budget: 2s\n")
                .config().storage().postgresql();
        assertThat(pg.stalenessBudget()).isEqualTo(Duration.ofSeconds(2));
        assertThat(files.errors(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://db/gateway\n    user: u\n    staleness_budget: 500ms\n")).containsExactly(
                files.at(11, "storage.postgresql.staleness_budget: '500ms' is out of range (allowed: 1s to 5m)"));
    }

    @Test
    void unknownBackend() {
        assertThat(files.onlyError(MINIMAL + STORAGE + "  backend: mysql\n"))
                .isEqualTo(files.at(7, "storage.backend: 'mysql' is not a storage backend (allowed: sqlite,"
                        + " postgresql)"));
    }

    @Test
    void postgresqlBackendNeedsItsSection() {
        assertThat(files.onlyError(MINIMAL + STORAGE + "  backend: postgresql\n"))
                .isEqualTo(files.at(4, "storage.postgresql: missing (required)"));
    }

    @Test
    void postgresqlSectionWithoutTheBackend() {
        assertThat(files.onlyError(MINIMAL + STORAGE + "  postgresql:\n    url: postgresql://db/x\n    user: u\n"))
                .isEqualTo(files.at(7, "storage.postgresql: is set but storage.backend is sqlite (allowed: set"
                        + " storage.backend: postgresql, or remove this section)"));
    }

    @Test
    void urlWithAPasswordIsRefusedAndNeverEchoed() {
        String error = files.onlyError(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://u:pw@db/gateway\n    user: u\n");
        assertThat(error).isEqualTo(files.at(9, "storage.postgresql.url: (redacted, 28 chars) is not a"
                + " PostgreSQL URL (allowed: postgresql://host[:port]/database; user, password and TLS have their own"
                + " keys)"));
    }

    @Test
    void urlWithQueryOrOtherScheme() {
        assertThat(files.onlyError(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://db/gateway?sslmode=disable\n    user: u\n")).contains("is not a PostgreSQL URL");
        assertThat(files.onlyError(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: jdbc:postgresql://db/gateway\n    user: u\n")).contains("is not a PostgreSQL URL");
    }

    @Test
    void sslModePreferIsRefused() {
        assertThat(files.onlyError(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://db/gateway\n    user: u\n    ssl_mode: prefer\n"))
                .isEqualTo(files.at(11, "storage.postgresql.ssl_mode: 'prefer' is not an ssl_mode (allowed: disable,"
                        + " require, verify-ca, verify-full)"));
    }

    @Test
    void poolSizeAndTimeoutsOutOfRange() {
        assertThat(files.errors(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://db/gateway\n    user: u\n    pool_size: 500\n    connect_timeout: 10m\n"
                + "    query_timeout: 1ms\n")).containsExactly(
                files.at(11, "storage.postgresql.pool_size: '500' is out of range (allowed: 1 to 200)"),
                files.at(12, "storage.postgresql.connect_timeout: '10m' is out of range (allowed: 100ms to 1m)"),
                files.at(13, "storage.postgresql.query_timeout: '1ms' is out of range (allowed: 100ms to 5m)"));
    }

    @Test
    void userIsRequiredAndUnknownKeysAreErrors() {
        assertThat(files.errors(MINIMAL + STORAGE + "  backend: postgresql\n  postgresql:\n"
                + "    url: postgresql://db/gateway\n    pasword: x\n")).containsExactly(
                files.at(8, "storage.postgresql.user: missing (required)"),
                files.at(10, "storage.postgresql.pasword: unknown key (did you mean 'password'?)"));
    }
}
