package org.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code storage.backend} and {@code storage.postgresql}. Every error is collected; none shows the password.
 *
 * <ul>
 *   <li>{@code backend}: {@code sqlite} (default) or {@code postgresql}. {@code postgresql} needs the
 *       {@code postgresql} section, and the section without that backend is an error (a half-finished switch would
 *       otherwise leave the gateway quietly on its local file).</li>
 *   <li>{@code url}: {@code postgresql://host[:port]/database}, nothing else: user, password and query parameters in
 *       the URL are refused, since a URL ends up in messages and logs, and TLS has its own key.</li>
 *   <li>{@code user} (required), {@code password} (optional, best as {@code ${env:…}} or {@code ${file:…}}),
 *       {@code ssl_mode} ({@code disable | require | verify-ca | verify-full}, default {@code verify-full}),
 *       {@code ssl_root_cert} (a readable file), {@code pool_size} (1 to 200, default 10),
 *       {@code connect_timeout} (100ms to 60s, default 5s), {@code query_timeout} (100ms to 5m, default 10s),
 *       {@code staleness_budget} (1s to 5m, default 5s: the {@code LISTEN/NOTIFY} fan-out's, as
 *       {@code cache.redis.staleness_budget} is Redis's).</li>
 * </ul>
 */
final class PostgresqlValidator {
    static final String URL = "url";
    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String SSL_MODE = "ssl_mode";
    static final String SSL_ROOT_CERT = "ssl_root_cert";
    static final String POOL_SIZE = "pool_size";
    static final String CONNECT_TIMEOUT = "connect_timeout";
    static final String QUERY_TIMEOUT = "query_timeout";
    static final String STALENESS_BUDGET = "staleness_budget";
    static final List<String> KEYS = List.of(URL, USER, PASSWORD, SSL_MODE, SSL_ROOT_CERT, POOL_SIZE, CONNECT_TIMEOUT,
            QUERY_TIMEOUT, STALENESS_BUDGET);
    static final Duration MIN_BUDGET = Duration.ofSeconds(1);
    static final Duration MAX_BUDGET = Duration.ofMinutes(5);

    static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MAX_QUERY_TIMEOUT = Duration.ofMinutes(5);
    /** A PostgreSQL identifier as an admin would type it; no quoting games in a config file. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");

    private final NodeReader reader;

    PostgresqlValidator(NodeReader reader) {
        this.reader = reader;
    }

    /** {@code storage.backend}, default sqlite; reports the postgresql section given without that backend. */
    Optional<StorageBackend> backend(MappingView storage) {
        Optional<YamlNode> node = storage.get(StorageValidator.BACKEND);
        Optional<StorageBackend> backend = node.isEmpty() ? Optional.of(StorageBackend.SQLITE)
                : reader.parsed(node.get(), PostgresqlValidator::backendNamed, PostgresqlMessages::notBackend);
        if (backend.isPresent() && backend.get() == StorageBackend.SQLITE) {
            storage.get(StorageValidator.POSTGRESQL).ifPresent(pg ->
                    reader.problems().error(pg, PostgresqlMessages.sectionWithoutBackend()));
        }
        return backend;
    }

    /** {@code storage.postgresql}, required with {@code backend: postgresql}. */
    Optional<PostgresqlConfig> validate(MappingView storage) {
        Optional<YamlNode> section = storage.require(StorageValidator.POSTGRESQL);
        Optional<MappingView> view = section.flatMap(n -> reader.mapping(n, KEYS));
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView pg = view.get();
        Optional<URI> url = pg.require(URL).flatMap(this::urlValue);
        Optional<String> user = pg.require(USER).flatMap(reader::string);
        Optional<String> password = pg.get(PASSWORD).flatMap(this::password);
        boolean passwordBroken = pg.has(PASSWORD) && password.isEmpty();
        PostgresqlSslMode sslMode = pg.get(SSL_MODE).map(n -> reader.parsed(n, PostgresqlValidator::sslModeNamed,
                PostgresqlMessages::notSslMode).orElse(null)).orElse(PostgresqlSslMode.VERIFY_FULL);
        Optional<Path> rootCert = pg.get(SSL_ROOT_CERT).flatMap(reader::readableFile);
        boolean rootCertBroken = pg.has(SSL_ROOT_CERT) && rootCert.isEmpty();
        Integer poolSize = pg.get(POOL_SIZE).map(n -> reader.intInRange(n, 1, PostgresqlConfig.MAX_POOL_SIZE)
                .orElse(null)).orElse(PostgresqlConfig.DEFAULT_POOL_SIZE);
        Duration connectTimeout = pg.get(CONNECT_TIMEOUT).map(n -> timeout(n, MAX_CONNECT_TIMEOUT))
                .orElse(PostgresqlConfig.DEFAULT_CONNECT_TIMEOUT);
        Duration queryTimeout = pg.get(QUERY_TIMEOUT).map(n -> timeout(n, MAX_QUERY_TIMEOUT))
                .orElse(PostgresqlConfig.DEFAULT_QUERY_TIMEOUT);
        Duration budget = pg.get(STALENESS_BUDGET).map(n -> inRange(n, MIN_BUDGET, MAX_BUDGET))
                .orElse(PostgresqlConfig.DEFAULT_STALENESS_BUDGET);
        if (url.isEmpty() || user.isEmpty() || passwordBroken || sslMode == null || rootCertBroken
                || poolSize == null || connectTimeout == null || queryTimeout == null || budget == null) {
            return Optional.empty();
        }
        URI u = url.get();
        return Optional.of(new PostgresqlConfig(hostOf(u), u.getPort() == -1 ? PostgresqlConfig.DEFAULT_PORT
                : u.getPort(), u.getPath().substring(1), user.get(), password.orElse(null), sslMode,
                rootCert.orElse(null), poolSize, connectTimeout, queryTimeout, budget));
    }

    /** A refused URL is quoted in the message, unless it may hold a password ({@code user:pw@}): then redacted. */
    private Optional<URI> urlValue(YamlNode node) {
        Optional<String> text = reader.string(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<URI> url = url(text.get());
        if (url.isEmpty()) {
            String shown = text.get().contains("@") ? ValueDisplay.redacted(text.get())
                    : reader.show((YamlScalar) node);
            reader.problems().error(node, PostgresqlMessages.notUrl(shown));
        }
        return url;
    }

    private Optional<String> password(YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isPresent() && scalar.get().text().isEmpty()) {
            reader.problems().error(node, Messages.emptyString());
            return Optional.empty();
        }
        return scalar.map(YamlScalar::text);
    }

    private Duration timeout(YamlNode node, Duration max) {
        return inRange(node, MIN_TIMEOUT, max);
    }

    private Duration inRange(YamlNode node, Duration min, Duration max) {
        Optional<Duration> value = reader.duration(node);
        if (value.isEmpty()) {
            return null;
        }
        if (value.get().compareTo(min) < 0 || value.get().compareTo(max) > 0) {
            reader.problems().error(node, Messages.outOfRange(reader.show((YamlScalar) node),
                    Durations.format(min), Durations.format(max)));
            return null;
        }
        return value.get();
    }

    private static Optional<StorageBackend> backendNamed(String text) {
        return Arrays.stream(StorageBackend.values()).filter(b -> b.yamlName().equals(text)).findFirst();
    }

    private static Optional<PostgresqlSslMode> sslModeNamed(String text) {
        return Arrays.stream(PostgresqlSslMode.values()).filter(m -> m.yamlName().equals(text)).findFirst();
    }

    static String allowedSslModes() {
        return Arrays.stream(PostgresqlSslMode.values()).map(PostgresqlSslMode::yamlName)
                .collect(Collectors.joining(", "));
    }

    /** {@code postgresql://host[:port]/database} and nothing more. */
    static Optional<URI> url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!"postgresql".equals(uri.getScheme()) || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getHost() == null || uri.getHost().isEmpty()
                || uri.getRawPath() == null || !uri.getRawPath().equals(uri.getPath())
                || !uri.getPath().startsWith("/") || !DATABASE_NAME.matcher(uri.getPath().substring(1)).matches()) {
            return Optional.empty();
        }
        return Optional.of(uri);
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
