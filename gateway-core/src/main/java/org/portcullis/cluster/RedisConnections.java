package org.portcullis.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Objects;
import org.portcullis.config.HostPort;
import org.portcullis.config.RedisConfig;

/**
 * The connections of one node to Redis, made from {@code cache.redis}: one for commands (shared by every thread:
 * Lettuce pipelines them on one socket) and one per subscriber. Built for failing closed:
 * <ul>
 *   <li>a command waits at most {@code command_timeout} and then throws, and while the connection is down commands are
 *       refused at once ({@code REJECT_COMMANDS}) instead of being queued for later: the request that needed Redis is
 *       refused (503), never answered late with a stale result;</li>
 *   <li>the client reconnects by itself (and resubscribes), retrying at least every {@link #MAX_RECONNECT_DELAY}
 *       (Lettuce's default backs off to 30 s), so the node recovers within seconds of Redis returning, without a
 *       restart;</li>
 *   <li>{@code rediss://} verifies the server's certificate and host name, against {@code ca_file} when set.</li>
 * </ul>
 * The password reaches Lettuce as characters and is never logged. Starting with Redis unreachable fails the start.
 */
public final class RedisConnections implements AutoCloseable {
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final String keyPrefix;

    public RedisConnections(RedisConfig config) {
        Objects.requireNonNull(config, "config");
        this.keyPrefix = config.keyPrefix();
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri(config));
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
        if (config.caFile() != null) {
            ssl.trustManager(config.caFile().toFile());
        }
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .sslOptions(ssl.build())
                .build());
        try {
            this.commands = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw e;
        }
    }

    private static RedisURI uri(RedisConfig config) {
        RedisURI.Builder builder;
        if (config.endpoint() instanceof RedisConfig.Server server) {
            builder = RedisURI.Builder.redis(server.host(), server.port());
        } else {
            RedisConfig.Sentinel sentinel = (RedisConfig.Sentinel) config.endpoint();
            HostPort first = sentinel.addresses().get(0);
            builder = RedisURI.Builder.sentinel(first.host(), first.port(), sentinel.master());
            for (HostPort next : sentinel.addresses().subList(1, sentinel.addresses().size())) {
                builder.withSentinel(next.host(), next.port());
            }
        }
        builder.withSsl(config.endpoint().tls())
                .withVerifyPeer(true)
                .withDatabase(config.endpoint().database())
                .withTimeout(config.commandTimeout());
        if (config.password() != null) {
            if (config.username() != null) {
                builder.withAuthentication(config.username(), config.password().toCharArray());
            } else {
                builder.withPassword(config.password().toCharArray());
            }
        }
        return builder.build();
    }

    /** The shared command connection's blocking API; every call throws on timeout or while disconnected. */
    public RedisCommands<String, String> sync() {
        return commands.sync();
    }

    /** A new connection for subscribing (closed by its owner). */
    public StatefulRedisPubSubConnection<String, String> pubSub() {
        return client.connectPubSub();
    }

    /** {@code cache.redis.key_prefix} followed by {@code name}. */
    public String key(String name) {
        return keyPrefix + name;
    }

    @Override
    public void close() {
        commands.close();
        client.shutdown();
        resources.shutdown();
    }
}
