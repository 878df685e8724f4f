package org.portcullis.cluster;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.portcullis.session.InvalidationChannel;
import org.portcullis.session.SessionIdHash;
import org.portcullis.session.SessionInvalidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InvalidationChannel} on one Redis pub/sub channel, {@code <key_prefix>invalidations}. A message is one line
 * of text, {@code v1 NODE KIND ARG}: {@code NODE} the sender's random id (so a node skips its own invalidations and
 * keeps only its own heartbeats), {@code KIND} {@code session} (ARG the hex SHA-256 of the session id, never the id),
 * {@code user} (ARG the account name in base64url), {@code all}, or {@code beat} (ARG a sequence number). A line this
 * version cannot read is treated as {@code all}: unknown means "anything may have changed".
 *
 * <p>Redis delivers pub/sub at most once and only to connected subscribers; Lettuce resubscribes after a reconnect,
 * and each confirmation is reported as {@link Receiver#subscribed()} so the node forgets what it may have missed.
 */
public final class RedisInvalidationChannel implements InvalidationChannel {
    private static final String VERSION = "v1";
    private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidationChannel.class);

    private final RedisConnections redis;
    private final String channel;
    private final String nodeId;
    private StatefulRedisPubSubConnection<String, String> subscription;

    public RedisInvalidationChannel(RedisConnections redis, SecureRandom random) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.channel = redis.key("invalidations");
        byte[] id = new byte[8];
        random.nextBytes(id);
        this.nodeId = HexFormat.of().formatHex(id);
    }

    @Override
    public void open(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        subscription = redis.pubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                deliver(message, receiver);
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
        redis.sync().publish(channel, encode(event));
    }

    @Override
    public void beat(long sequence) {
        redis.sync().publish(channel, line("beat", Long.toString(sequence)));
    }

    private String encode(SessionInvalidation event) {
        if (event instanceof SessionInvalidation.OneSession one) {
            return line("session", HexFormat.of().formatHex(one.idHash().bytes()));
        }
        if (event instanceof SessionInvalidation.OneUser user) {
            return line("user", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(user.user().getBytes(StandardCharsets.UTF_8)));
        }
        return line("all", "-");
    }

    private String line(String kind, String argument) {
        return VERSION + " " + nodeId + " " + kind + " " + argument;
    }

    private void deliver(String message, Receiver receiver) {
        String[] parts = message.split(" ", -1);
        boolean readable = parts.length == 4 && parts[0].equals(VERSION);
        if (readable && parts[1].equals(nodeId)) {
            if (parts[2].equals("beat")) {
                try {
                    receiver.ownBeat(Long.parseLong(parts[3]));
                } catch (NumberFormatException e) {
                    receiver.fromOtherNode(new SessionInvalidation.Everything());
                }
            }
            return;
        }
        if (readable && parts[2].equals("beat")) {
            return;
        }
        receiver.fromOtherNode(decode(readable ? parts : null));
    }

    private static SessionInvalidation decode(String[] parts) {
        try {
            if (parts != null && parts[2].equals("session")) {
                return new SessionInvalidation.OneSession(SessionIdHash.of(HexFormat.of().parseHex(parts[3])));
            }
            if (parts != null && parts[2].equals("user")) {
                return new SessionInvalidation.OneUser(new String(Base64.getUrlDecoder().decode(parts[3]),
                        StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("unreadable session invalidation on the fan-out channel; emptying the session cache");
        }
        return new SessionInvalidation.Everything();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
