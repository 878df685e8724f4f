package org.portcullis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code cache.redis}: where the nodes of a cluster keep WebAuthn challenges, SSO callback codes and sign-in failure
 * counters, and the channel on which every node announces the sessions, users and factors it changed (docs/cluster.md,
 * "Redis").
 *
 * @param endpoint        one server ({@code url}) or a group watched by Sentinel
 * @param username        the ACL user, or null for the default user
 * @param password        the password, or null for none. Only ever read through {@code ${env:…}} or {@code ${file:…}};
 *                        never printed ({@link #toString()} shows its length)
 * @param caFile          PEM bundle of the authorities a TLS server is checked against, or null for the JDK's
 * @param connectTimeout  how long one connection attempt may take
 * @param commandTimeout  how long one command may take before the request that needed it is refused
 * @param stalenessBudget how long signed-in requests are still answered after the fan-out channel was last heard;
 *                        after it they are refused (503) until the channel answers again
 * @param keyPrefix       prefix of every key and channel name, so several gateways can share one Redis
 */
public record RedisConfig(Endpoint endpoint, String username, String password, Path caFile, Duration connectTimeout,
                          Duration commandTimeout, Duration stalenessBudget, String keyPrefix) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_STALENESS_BUDGET = Duration.ofSeconds(5);
    public static final String DEFAULT_KEY_PREFIX = "portcullis:";

    /** Where Redis is. */
    public sealed interface Endpoint {
        boolean tls();

        int database();
    }

    /** {@code url: redis://host:port/db} or {@code rediss://…} (TLS). */
    public record Server(boolean tls, String host, int port, int database) implements Endpoint {
        public Server {
            Objects.requireNonNull(host, "host");
        }
    }

    /** {@code sentinel}: the master named {@code master}, as the Sentinels at {@code addresses} report it. */
    public record Sentinel(String master, List<HostPort> addresses, boolean tls, int database) implements Endpoint {
        public Sentinel {
            Objects.requireNonNull(master, "master");
            addresses = List.copyOf(addresses);
        }
    }

    public RedisConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(stalenessBudget, "stalenessBudget");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public String toString() {
        return "RedisConfig[endpoint=" + endpoint + ", username=" + username + ", password="
                + (password == null ? "none" : ValueDisplay.redacted(password)) + ", caFile=" + caFile
                + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                + ", stalenessBudget=" + stalenessBudget + ", keyPrefix=" + keyPrefix + "]";
    }
}
