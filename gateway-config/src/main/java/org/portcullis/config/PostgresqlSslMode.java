package org.portcullis.config;

/**
 * {@code storage.postgresql.ssl_mode}, the libpq / PostgreSQL JDBC {@code sslmode} values that make sense for a
 * gateway. {@code prefer} and {@code allow} are left out on purpose: they fall back to plain text when the server
 * offers no TLS, so an attacker on the path could downgrade the connection without anyone noticing.
 */
public enum PostgresqlSslMode {
    /** Plain TCP: only for a database on the same host or a private, trusted link. */
    DISABLE("disable"),
    /** TLS, server certificate not checked: protects against passive listeners only. */
    REQUIRE("require"),
    /** TLS, server certificate signed by {@code ssl_root_cert}. */
    VERIFY_CA("verify-ca"),
    /** TLS, certificate signed by {@code ssl_root_cert} and naming the host of {@code url} (the default). */
    VERIFY_FULL("verify-full");

    private final String yamlName;

    PostgresqlSslMode(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The YAML value, which is also the JDBC driver's {@code sslmode}. */
    public String yamlName() {
        return yamlName;
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
