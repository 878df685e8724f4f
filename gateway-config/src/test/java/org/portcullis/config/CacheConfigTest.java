package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cache.redis} section: the records a valid one builds and one test per message with its full text (the
 * section starts on line 4, after {@link ConfigFiles#MINIMAL}; {@code redis:} is line 5, its keys from line 6).
 */
class CacheConfigTest {
    static final String SECRET = "s3cret-redis-password";

    @TempDir
    Path dir;

    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir, Map.of("REDIS_PASSWORD", SECRET));
    }

    @Test
    void withoutTheSectionThereIsNoCache() throws Exception {
        assertThat(files.load(MINIMAL).config().cache()).isNull();
    }

    @Test
    void aServerUrlWithDefaults() throws Exception {
        RedisConfig redis = files.load(MINIMAL + "cache:\n  redis:\n    url: redis://127.0.0.1:6380/2\n")
                .config().cache().redis();
        assertThat(redis.endpoint()).isEqualTo(new RedisConfig.Server(false, "127.0.0.1", 6380, 2));
        assertThat(redis.password()).isNull();
        assertThat(redis.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(redis.commandTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(redis.stalenessBudget()).isEqualTo(Duration.ofSeconds(5));
        assertThat(redis.keyPrefix()).isEqualTo("portcullis:");
    }

    @Test
    void tlsWithPasswordFromTheEnvironmentAndEveryKey() throws Exception {
        files.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
        RedisConfig redis = files.load(MINIMAL + """
                cache:
                  redis:
                    url: rediss://Redis.Internal
                    username: gateway
                    password: ${env:REDIS_PASSWORD}
                    ca_file: ca.pem
                    connect_timeout: 3s
                    command_timeout: 250ms
                    staleness_budget: 10s
                    key_prefix: "pc:ward-7:"
                """).config().cache().redis();
        assertThat(redis.endpoint()).isEqualTo(new RedisConfig.Server(true, "redis.internal", 6379, 0));
        assertThat(redis.username()).isEqualTo("gateway");
        assertThat(redis.password()).isEqualTo(SECRET);
        assertThat(redis.caFile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(redis.commandTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(redis.stalenessBudget()).isEqualTo(Duration.ofSeconds(10));
        assertThat(redis.keyPrefix()).isEqualTo("pc:ward-7:");
        assertThat(redis.toString()).doesNotContain(SECRET).contains("(redacted, 21 chars)");
    }

    @Test
    void sentinel() throws Exception {
        RedisConfig redis = files.load(MINIMAL + """
                cache:
                  redis:
                    sentinel:
                      master: portcullis
                      addresses: [sentinel-1.internal:26379, "[2001:db8::7]:26379"]
                      tls: true
                      database: 3
                """).config().cache().redis();
        assertThat(redis.endpoint()).isEqualTo(new RedisConfig.Sentinel("portcullis",
                List.of(new HostPort("sentinel-1.internal", 26379), new HostPort("2001:db8::7", 26379)), true, 3));
    }

    @Test
    void urlAndSentinelTogether() {
        assertThat(files.onlyError(MINIMAL + "cache:\n  redis:\n    url: redis://localhost\n    sentinel:\n"
                + "      master: m\n      addresses: [s:26379]\n"))
                .isEqualTo(files.at(5, "cache.redis: needs exactly one of url and sentinel (allowed: url for one"
                        + " server, sentinel for a watched group)"));
    }

    @Test
    void neitherUrlNorSentinel() {
        assertThat(files.onlyError(MINIMAL + "cache:\n  redis:\n    key_prefix: x\n"))
                .isEqualTo(files.at(5, "cache.redis: needs exactly one of url and sentinel (allowed: url for one"
                        + " server, sentinel for a watched group)"));
    }

    @Test
    void wrongScheme() {
        assertThat(files.onlyError(MINIMAL + "cache:\n  redis:\n    url: http://localhost:6379\n"))
                .isEqualTo(files.at(6, "cache.redis.url: 'http://localhost:6379' is not a Redis URL: the scheme must"
                        + " be redis or rediss (allowed: redis://HOST[:PORT][/DB] or rediss://HOST[:PORT][/DB] for"
                        + " TLS)"));
    }

    @Test
    void passwordInTheUrlIsRefusedWithoutShowingIt() {
        String error = files.onlyError(MINIMAL + "cache:\n  redis:\n    url: ${env:REDIS_URL}\n");
        assertThat(error).contains("REDIS_URL");
        ConfigFiles withUrl = new ConfigFiles(dir, Map.of("REDIS_URL", "redis://:" + SECRET + "@localhost"));
        assertThat(withUrl.onlyError(MINIMAL + "cache:\n  redis:\n    url: ${env:REDIS_URL}\n"))
                .isEqualTo(withUrl.at(6, "cache.redis.url: (redacted, 40 chars) is not a Redis URL: it carries a"
                        + " user or password (put them in username and password) (allowed: redis://HOST[:PORT][/DB]"
                        + " or rediss://HOST[:PORT][/DB] for TLS)"));
    }

    @Test
    void databaseMustBeANumber() {
        assertThat(files.onlyError(MINIMAL + "cache:\n  redis:\n    url: redis://localhost/zero\n"))
                .isEqualTo(files.at(6, "cache.redis.url: 'redis://localhost/zero' is not a Redis URL: the path must"
                        + " be a database number (allowed: redis://HOST[:PORT][/DB] or rediss://HOST[:PORT][/DB] for"
                        + " TLS)"));
    }

    @Test
    void inlinePasswordIsRefusedAndNotShown() {
        String error = files.onlyError(MINIMAL + "cache:\n  redis:\n    url: rediss://r\n    password: hunter2\n");
        assertThat(error).isEqualTo(files.at(7, "cache.redis.password: (redacted, 7 chars) is written in the config"
                + " (allowed: ${env:NAME} or ${file:/absolute/path}, so the password stays out of the file, its backups"
                + " and its diffs)"));
        assertThat(error).doesNotContain("hunter2");
    }

    @Test
    void passwordOverPlainRedisToAnotherMachineIsWarned() throws Exception {
        LoadedConfig loaded = files.load(MINIMAL + "cache:\n  redis:\n    url: redis://redis.internal\n"
                + "    password: ${env:REDIS_PASSWORD}\n");
        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(files.at(7,
                "cache.redis.password: the password goes to 'redis.internal' unencrypted over redis:// (allowed:"
                        + " rediss:// or sentinel.tls: true, or a loopback host)"));
        assertThat(files.load(MINIMAL + "cache:\n  redis:\n    url: redis://127.0.0.1\n"
                + "    password: ${env:REDIS_PASSWORD}\n").warnings()).isEmpty();
    }

    @Test
    void caFileWithoutTls() {
        files.write("ca.pem", "x");
        assertThat(files.onlyError(MINIMAL + "cache:\n  redis:\n    url: redis://localhost\n    ca_file: ca.pem\n"))
                .isEqualTo(files.at(7, "cache.redis.ca_file: is set but the connection is not TLS (allowed: rediss://"
                        + " or sentinel.tls: true, or leave ca_file out)"));
    }

    @Test
    void stalenessBudgetRange() {
        assertThat(files.onlyError(MINIMAL + "cache:\n  redis:\n    url: redis://localhost\n"
                + "    staleness_budget: 500ms\n"))
                .isEqualTo(files.at(7, "cache.redis.staleness_budget: '500ms' is out of range (allowed: 1s to 5m)"));
    }

    @Test
    void keyPrefixCharacters() {
        assertThat(files.onlyError(MINIMAL + "cache:\n  redis:\n    url: redis://localhost\n"
                + "    key_prefix: \"a b\"\n"))
                .isEqualTo(files.at(7, "cache.redis.key_prefix: 'a b' is not a key prefix (allowed: 1 to 64 of A-Z"
                        + " a-z 0-9 : _ . -)"));
    }

    @Test
    void sentinelAddressAndMissingMaster() {
        assertThat(files.errors(MINIMAL + "cache:\n  redis:\n    sentinel:\n      addresses: [sentinel-1]\n"))
                .containsExactly(
                        files.at(6, "cache.redis.sentinel.master: missing (required)"),
                        files.at(7, "cache.redis.sentinel.addresses[0]: 'sentinel-1' is not a Sentinel address"
                                + " (allowed: HOST:PORT, e.g. sentinel-1.internal:26379)"));
    }

    @Test
    void unknownKeyIsNamed() {
        assertThat(files.onlyError(MINIMAL + "cache:\n  redis:\n    url: redis://localhost\n    pasword: x\n"))
                .isEqualTo(files.at(7, "cache.redis.pasword: unknown key (did you mean 'password'?)"));
    }
}
