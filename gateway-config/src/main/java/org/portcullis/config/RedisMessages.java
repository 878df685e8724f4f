package org.portcullis.config;

/**
 * The texts of {@code cache} errors and warnings ({@link CacheValidator}), in the style of {@link Messages}:
 * {@code <what is wrong> (allowed: <what is allowed>)}. Values arrive already rendered by {@link ValueDisplay}.
 */
final class RedisMessages {
    private RedisMessages() {
    }

    static String notRedisUrl(String value, String reason) {
        return value + " is not a Redis URL: " + reason
                + " (allowed: redis://HOST[:PORT][/DB] or rediss://HOST[:PORT][/DB] for TLS)";
    }

    static String urlOrSentinel() {
        return "needs exactly one of url and sentinel (allowed: url for one server, sentinel for a watched group)";
    }

    static String notSentinelAddress(String value) {
        return value + " is not a Sentinel address (allowed: HOST:PORT, e.g. sentinel-1.internal:26379)";
    }

    static String passwordNotReference(String value) {
        return value + " is written in the config (allowed: ${env:NAME} or ${file:/absolute/path}, so the password"
                + " stays out of the file, its backups and its diffs)";
    }

    static String passwordInClear(String host) {
        return "the password goes to '" + host + "' unencrypted over redis:// (allowed: rediss:// or sentinel.tls:"
                + " true, or a loopback host)";
    }

    static String caFileWithoutTls() {
        return "is set but the connection is not TLS (allowed: rediss:// or sentinel.tls: true, or leave ca_file out)";
    }

    static String budgetOutOfRange(String value) {
        return value + " is out of range (allowed: 1s to 5m)";
    }

    static String notKeyPrefix(String value) {
        return value + " is not a key prefix (allowed: 1 to 64 of A-Z a-z 0-9 : _ . -)";
    }

    static String notDatabase(String value) {
        return value + " is not a database number (allowed: 0 to 9999)";
    }
}
