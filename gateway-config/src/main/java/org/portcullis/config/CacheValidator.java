package org.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.portcullis.config.YamlNode.YamlScalar;

/**
 * Checks {@code cache} and its one entry {@code redis}. Exactly one of {@code url} (one server) and {@code sentinel}
 * (a group watched by Redis Sentinel) says where Redis is. The password may only come from {@code ${env:…}} or
 * {@code ${file:…}}, and a URL may not carry one, so no Redis password is ever written in the config file; a
 * password sent over plain {@code redis://} to another machine is warned about. Timeouts are positive durations, and
 * the staleness budget (how long signed-in requests are answered without the fan-out channel) is 1 s to 5 min.
 */
final class CacheValidator {
    static final String REDIS = "redis";
    static final List<String> KEYS = List.of(REDIS);
    static final String URL = "url";
    static final String SENTINEL = "sentinel";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String CA_FILE = "ca_file";
    static final String CONNECT_TIMEOUT = "connect_timeout";
    static final String COMMAND_TIMEOUT = "command_timeout";
    static final String STALENESS_BUDGET = "staleness_budget";
    static final String KEY_PREFIX = "key_prefix";
    static final List<String> REDIS_KEYS = List.of(URL, SENTINEL, USERNAME, PASSWORD, CA_FILE, CONNECT_TIMEOUT,
            COMMAND_TIMEOUT, STALENESS_BUDGET, KEY_PREFIX);
    static final String MASTER = "master";
    static final String ADDRESSES = "addresses";
    static final String TLS = "tls";
    static final String DATABASE = "database";
    static final List<String> SENTINEL_KEYS = List.of(MASTER, ADDRESSES, TLS, DATABASE);

    static final Duration MIN_BUDGET = Duration.ofSeconds(1);
    static final Duration MAX_BUDGET = Duration.ofMinutes(5);
    static final int MAX_DATABASE = 9999;
    private static final int DEFAULT_PORT = 6379;
    private static final Pattern KEY_PREFIX_CHARS = Pattern.compile("[A-Za-z0-9:_.-]{1,64}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,4}");

    private final NodeReader reader;

    CacheValidator(NodeReader reader) {
        this.reader = reader;
    }

    Optional<CacheConfig> validate(YamlNode node) {
        return reader.mapping(node, KEYS)
                .flatMap(view -> view.require(REDIS))
                .flatMap(this::redis)
                .map(CacheConfig::new);
    }

    private Optional<RedisConfig> redis(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, REDIS_KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView redis = view.get();
        int before = reader.problems().errorCount();
        Optional<RedisConfig.Endpoint> endpoint = Optional.empty();
        if (redis.has(URL) == redis.has(SENTINEL)) {
            reader.problems().error(node, RedisMessages.urlOrSentinel());
        } else if (redis.has(URL)) {
            endpoint = redis.get(URL).flatMap(this::url);
        } else {
            endpoint = redis.get(SENTINEL).flatMap(this::sentinel);
        }
        String username = redis.get(USERNAME).flatMap(reader::string).orElse(null);
        String password = redis.get(PASSWORD).flatMap(this::password).orElse(null);
        Path caFile = redis.get(CA_FILE).flatMap(reader::readableFile).orElse(null);
        Duration connectTimeout = redis.get(CONNECT_TIMEOUT).flatMap(reader::duration)
                .orElse(RedisConfig.DEFAULT_CONNECT_TIMEOUT);
        Duration commandTimeout = redis.get(COMMAND_TIMEOUT).flatMap(reader::duration)
                .orElse(RedisConfig.DEFAULT_COMMAND_TIMEOUT);
        Duration budget = redis.get(STALENESS_BUDGET).flatMap(this::budget)
                .orElse(RedisConfig.DEFAULT_STALENESS_BUDGET);
        String keyPrefix = redis.get(KEY_PREFIX).flatMap(n -> reader.parsed(n,
                text -> Optional.of(text).filter(t -> KEY_PREFIX_CHARS.matcher(t).matches()),
                RedisMessages::notKeyPrefix)).orElse(RedisConfig.DEFAULT_KEY_PREFIX);
        if (endpoint.isPresent()) {
            boolean tls = endpoint.get().tls();
            redis.get(CA_FILE).filter(n -> !tls).ifPresent(n -> reader.problems().error(n,
                    RedisMessages.caFileWithoutTls()));
            if (password != null && !tls && endpoint.get() instanceof RedisConfig.Server server
                    && !new HostPort(server.host(), server.port()).isLoopback()) {
                reader.problems().warning(redis.get(PASSWORD).orElseThrow(),
                        RedisMessages.passwordInClear(server.host()));
            }
        }
        if (reader.problems().errorCount() != before || endpoint.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RedisConfig(endpoint.get(), username, password, caFile, connectTimeout,
                commandTimeout, budget, keyPrefix));
    }

    private Optional<RedisConfig.Endpoint> url(YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        String text = scalar.get().text();
        String problem;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                problem = "the scheme must be redis or rediss";
            } else if (uri.getRawUserInfo() != null) {
                problem = "it carries a user or password (put them in username and password)";
            } else if (uri.getHost() == null || !HostSyntax.isHost(uri.getHost().toLowerCase(Locale.ROOT))) {
                problem = "no valid host";
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problem = "it has a query or fragment";
            } else {
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                String db = path.startsWith("/") ? path.substring(1) : path;
                if (!db.isEmpty() && !DIGITS.matcher(db).matches()) {
                    problem = "the path must be a database number";
                } else {
                    String host = uri.getHost().toLowerCase(Locale.ROOT);
                    if (host.startsWith("[")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    return Optional.of(new RedisConfig.Server(scheme.equals("rediss"), host,
                            uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                            db.isEmpty() ? 0 : Integer.parseInt(db)));
                }
            }
        } catch (URISyntaxException e) {
            problem = "it does not parse as a URL";
        }
        reader.problems().error(node, RedisMessages.notRedisUrl(reader.show(scalar.get()), problem));
        return Optional.empty();
    }

    private Optional<RedisConfig.Endpoint> sentinel(YamlNode node) {
        Optional<MappingView> view = reader.mapping(node, SENTINEL_KEYS);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MappingView sentinel = view.get();
        Optional<String> master = sentinel.require(MASTER).flatMap(reader::string);
        Optional<List<HostPort>> addresses = sentinel.require(ADDRESSES).flatMap(n -> reader.listOf(n,
                item -> reader.parsed(item, HostSyntax::connectAddress, RedisMessages::notSentinelAddress)));
        Optional<Boolean> tls = sentinel.get(TLS).isPresent() ? sentinel.get(TLS).flatMap(reader::bool)
                : Optional.of(false);
        Optional<Integer> database = sentinel.get(DATABASE).isPresent()
                ? sentinel.get(DATABASE).flatMap(this::database) : Optional.of(0);
        if (master.isEmpty() || addresses.isEmpty() || tls.isEmpty() || database.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RedisConfig.Sentinel(master.get(), addresses.get(), tls.get(), database.get()));
    }

    private Optional<Integer> database(YamlNode node) {
        return reader.parsed(node, text -> Optional.of(text).filter(t -> DIGITS.matcher(t).matches())
                .map(Integer::parseInt).filter(n -> n <= MAX_DATABASE), RedisMessages::notDatabase);
    }

    private Optional<String> password(YamlNode node) {
        Optional<YamlScalar> scalar = reader.scalar(node, "a string");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        if (!scalar.get().secret()) {
            reader.problems().error(node, RedisMessages.passwordNotReference(ValueDisplay.redacted(scalar.get().text())));
            return Optional.empty();
        }
        if (scalar.get().text().isEmpty()) {
            reader.problems().error(node, Messages.emptyString());
            return Optional.empty();
        }
        return Optional.of(scalar.get().text());
    }

    private Optional<Duration> budget(YamlNode node) {
        return reader.duration(node).flatMap(value -> {
            if (value.compareTo(MIN_BUDGET) < 0 || value.compareTo(MAX_BUDGET) > 0) {
                reader.problems().error(node, RedisMessages.budgetOutOfRange(reader.show((YamlScalar) node)));
                return Optional.empty();
            }
            return Optional.of(value);
        });
    }
}
