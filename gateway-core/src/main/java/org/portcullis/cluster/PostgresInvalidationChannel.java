package org.portcullis.cluster;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.portcullis.session.InvalidationChannel;
import org.portcullis.session.SessionInvalidation;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InvalidationChannel} on PostgreSQL {@code LISTEN/NOTIFY}, for a cluster on a PostgreSQL store without Redis
 * (issue 18). Plain JDBC with two connections of its own, made from a URL and properties (user, password, TLS as the
 * driver reads them), so it stays apart from the store's pool: a pool hands connections back and forth, while a
 * listener must keep its one session ({@code LISTEN} belongs to the session).
 *
 * <p>One thread holds the listening connection and waits on it for notifications; when the connection fails it
 * reconnects every {@link #RETRY} and reports each new {@code LISTEN} as {@link Receiver#subscribed()} (what was sent
 * meanwhile is lost). Sending ({@code SELECT pg_notify(channel, line)}) uses the other connection, made again on the
 * next send after a failure. Messages are {@link InvalidationLines}; PostgreSQL delivers a notification to every
 * session listening when the sending transaction commits, and at most 8000 bytes, far above one line.
 */
public final class PostgresInvalidationChannel implements InvalidationChannel {
    static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofMillis(250);
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Logger LOG = LoggerFactory.getLogger(PostgresInvalidationChannel.class);

    private final String url;
    private final Properties properties;
    private final String channel;
    private final InvalidationLines lines;
    private final Object sending = new Object();
    private Connection sender;
    private volatile boolean closed;
    private Thread listener;

    /**
     * @param channel the notification channel: lower-case letters, digits and {@code _}, so it needs no quoting
     */
    public PostgresInvalidationChannel(String url, Properties properties, String channel, SecureRandom random) {
        this.url = Objects.requireNonNull(url, "url");
        this.properties = (Properties) properties.clone();
        if (!CHANNEL_NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("PostgresInvalidationChannel: channel must match " + CHANNEL_NAME);
        }
        this.channel = channel;
        this.lines = new InvalidationLines(random);
    }

    @Override
    public void open(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        listener = new Thread(() -> listen(receiver), "portcullis-fan-out-listen");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen(Receiver receiver) {
        while (!closed) {
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + channel);
                }
                receiver.subscribed();
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] arrived = notifications.getNotifications((int) WAIT.toMillis());
                    if (arrived != null) {
                        for (PGNotification notification : arrived) {
                            lines.deliver(notification.getParameter(), receiver);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("fan-out listener lost its connection, retrying: {}", e.toString());
                    try {
                        Thread.sleep(RETRY.toMillis());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void send(SessionInvalidation event) {
        notify(lines.encode(event));
    }

    @Override
    public void beat(long sequence) {
        notify(lines.beat(sequence));
    }

    private void notify(String line) {
        synchronized (sending) {
            try {
                if (sender == null) {
                    sender = DriverManager.getConnection(url, properties);
                }
                try (PreparedStatement notify = sender.prepareStatement("SELECT pg_notify(?, ?)")) {
                    notify.setString(1, channel);
                    notify.setString(2, line);
                    notify.execute();
                }
            } catch (SQLException e) {
                closeSender();
                throw new IllegalStateException("fan-out notify failed: " + e.getMessage(), e);
            }
        }
    }

    private void closeSender() {
        if (sender != null) {
            try {
                sender.close();
            } catch (SQLException ignored) {
                // already broken
            }
            sender = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (sending) {
            closeSender();
        }
    }
}
