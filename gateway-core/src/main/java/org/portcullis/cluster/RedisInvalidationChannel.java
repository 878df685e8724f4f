package org.portcullis.cluster;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.security.SecureRandom;
import java.util.Objects;
import org.portcullis.session.InvalidationChannel;
import org.portcullis.session.SessionInvalidation;

/**
 * {@link InvalidationChannel} on one Redis pub/sub channel, {@code <key_prefix>invalidations}, one
 * {@link InvalidationLines} line per message.
 *
 * <p>Redis delivers pub/sub at most once and only to connected subscribers; Lettuce resubscribes after a reconnect,
 * and each confirmation is reported as {@link Receiver#subscribed()} so the node forgets what it may have missed.
 */
public final class RedisInvalidationChannel implements InvalidationChannel {
    private final RedisConnections redis;
    private final String channel;
    private final InvalidationLines lines;
    private StatefulRedisPubSubConnection<String, String> subscription;

    public RedisInvalidationChannel(RedisConnections redis, SecureRandom random) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.channel = redis.key("invalidations");
        this.lines = new InvalidationLines(random);
    }

    @Override
    public void open(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        subscription = redis.pubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                lines.deliver(message, receiver);
            }

            @Override
            public void subscribed(String from, long count) {
                receiver.subscribed();
            }
        });
        subscription.sync().subscribe(channel);
    }

    @Override
    public void send(SessionInvalidation event) {
        redis.sync().publish(channel, lines.encode(event));
    }

    @Override
    public void beat(long sequence) {
        redis.sync().publish(channel, lines.beat(sequence));
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
