package org.portcullis.config;

import java.util.Objects;

/**
 * {@code cache}: state shared by several gateway nodes that need not outlive a restart of the whole cluster (issue
 * 18). Absent from the config ({@code GatewayConfig.cache() == null}), every node keeps it in its own memory, as a
 * single gateway always did.
 *
 * @param redis the Redis server (or Sentinel-watched group) every node uses; see {@link RedisConfig}
 */
public record CacheConfig(RedisConfig redis) {
    public CacheConfig {
        Objects.requireNonNull(redis, "redis");
    }
}
