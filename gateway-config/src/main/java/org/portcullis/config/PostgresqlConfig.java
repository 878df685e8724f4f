package org.portcullis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code storage.postgresql}: the PostgreSQL database shared by every gateway node ({@code storage.backend:
 * postgresql}). The URL names only the server and database; credentials and TLS have their own keys, so a URL
 * printed in a message or a log never carries a password.
 *
 * @param host             server host name or address (IPv6 without brackets)
 * @param port             1 to 65535 (5432 when the URL gives none)
 * @param database         database name
 * @param user             role to log in as
 * @param password         the role's password, or null (certificate or trust authentication); usually
 *                         {@code ${env:…}} or {@code ${file:…}}. Never printed: {@link #toString()} shows its length.
 * @param sslMode          TLS mode (default {@code verify-full})
 * @param sslRootCert      CA bundle for {@code verify-ca}/{@code verify-full}, or null for the driver's default
 *                         ({@code ~/.postgresql/root.crt})
 * @param poolSize         connections per gateway node
 * @param connectTimeout   how long a request waits for a connection (new or from the pool) before it is refused
 * @param queryTimeout     longest a statement (or a wait for the store's write lock) may run before it is refused
 * @param stalenessBudget  without {@code cache.redis}: how long signed-in requests are still answered after the
 *                         {@code LISTEN/NOTIFY} fan-out channel was last heard; after it they are refused (503) until
 *                         the channel answers again (with Redis, {@code cache.redis.staleness_budget} governs)
 */
public record PostgresqlConfig(String host, int port, String database, String user, String password,
                               PostgresqlSslMode sslMode, Path sslRootCert, int poolSize, Duration connectTimeout,
                               Duration queryTimeout, Duration stalenessBudget) {
    public static final int DEFAULT_PORT = 5432;
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int MAX_POOL_SIZE = 200;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STALENESS_BUDGET = Duration.ofSeconds(5);

    public PostgresqlConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sslMode, "sslMode");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        Objects.requireNonNull(stalenessBudget, "stalenessBudget");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("PostgresqlConfig: port must be 1 to 65535 but is " + port);
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("PostgresqlConfig: pool size must be 1 to " + MAX_POOL_SIZE);
        }
    }

    /** The settings with the default staleness budget (tools and tests, which run no fan-out). */
    public PostgresqlConfig(String host, int port, String database, String user, String password,
                            PostgresqlSslMode sslMode, Path sslRootCert, int poolSize, Duration connectTimeout,
                            Duration queryTimeout) {
        this(host, port, database, user, password, sslMode, sslRootCert, poolSize, connectTimeout, queryTimeout,
                DEFAULT_STALENESS_BUDGET);
    }

    /**
     * The settings of {@code url} ({@code postgresql://host[:port]/database}, as in {@code storage.postgresql.url})
     * with default pool and timeouts, for command-line tools; empty when the URL is not of that form.
     */
    public static java.util.Optional<PostgresqlConfig> forTool(String url, String user, String password,
                                                               PostgresqlSslMode sslMode, Path sslRootCert) {
        return PostgresqlValidator.url(url).map(u -> new PostgresqlConfig(
                u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost(),
                u.getPort() == -1 ? DEFAULT_PORT : u.getPort(), u.getPath().substring(1), user, password, sslMode,
                sslRootCert, 2, DEFAULT_CONNECT_TIMEOUT, MAX_TOOL_QUERY_TIMEOUT));
    }

    /** A copy of a large store is one statement batch after another; give each more time than a request gets. */
    private static final Duration MAX_TOOL_QUERY_TIMEOUT = Duration.ofMinutes(5);

    /** The JDBC URL: server and database only (credentials and TLS are passed as properties). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    /** For messages and logs: {@code postgresql://host:port/database} (never the password). */
    public String describe() {
        return jdbcUrl().substring("jdbc:".length());
    }

    @Override
    public String toString() {
        return "PostgresqlConfig[" + describe() + ", user=" + user + ", password="
                + (password == null ? "none" : ValueDisplay.redacted(password)) + ", sslMode=" + sslMode
                + ", sslRootCert=" + sslRootCert + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout
                + ", queryTimeout=" + queryTimeout + ", stalenessBudget=" + stalenessBudget + "]";
    }
}
