package org.portcullis.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;

/**
 * A steady load of signed-in requests through the {@link RoundRobinBalancer}: one thread per signed-in user, each
 * sending {@code GET app.test/notes/load} with its session cookie on a new connection every time (so the balancer
 * spreads each user's requests over every node), and recording every outcome: the status, the user the upstream was
 * told ({@code Remote-User} in the echo), or the I/O failure, with the node the balancer gave the connection to.
 * Each user's thread connects from a loopback address of its own (127.0.1.N), so a connection whose TLS handshake
 * failed, and whose port the client never learnt, is still found at the balancer.
 */
final class SteadyLoad implements AutoCloseable {
    /** Between two requests of one user: a steady trickle, not a flood (the machine runs other builds too). */
    private static final Duration PACE = Duration.ofMillis(30);
    private static final Pattern REMOTE_USER = Pattern.compile("\\[\"(?i:remote-user)\",\"([^\"]*)\"]");

    /** One request's outcome; {@code status} -1 is an I/O failure (connection refused, reset, closed, timed out). */
    record Outcome(long sequence, String user, int status, String remoteUser, int node, String failure) {
        boolean failed() {
            return status < 0;
        }
    }

    private final ClusterSite site;
    private final ClusterClient client;
    private final RoundRobinBalancer balancer;
    private final Map<String, String> cookies;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Starts one thread per entry of {@code cookies} (user → app.test session cookie pair). */
    SteadyLoad(ClusterSite site, RoundRobinBalancer balancer, Map<String, String> cookies) {
        this.site = site;
        this.client = new ClusterClient(site);
        this.balancer = balancer;
        this.cookies = Map.copyOf(cookies);
        int address = 1;
        for (Map.Entry<String, String> user : this.cookies.entrySet()) {
            InetAddress from = loopback(address++);
            Thread thread = new Thread(() -> run(user.getKey(), user.getValue(), from), "load-" + user.getKey());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(String user, String cookie, InetAddress from) {
        while (running.get()) {
            outcomes.add(once(user, cookie, from));
            LockSupport.parkNanos(PACE.toNanos());
        }
    }

    private Outcome once(String user, String cookie, InetAddress from) {
        long number = sequence.incrementAndGet();
        RawHttpClient connection = null;
        try {
            connection = RawHttpClient.connectTls(balancer.port(), site.certs, "app.test", from);
            int localPort = connection.localPort();
            RawResponse answer = client.exchange(connection, "GET", "app.test", "/notes/load",
                    ClusterClient.navigation(cookie), null);
            Matcher remoteUser = REMOTE_USER.matcher(answer.status() == 200 ? answer.bodyText() : "");
            return new Outcome(number, user, answer.status(), remoteUser.find() ? remoteUser.group(1) : null,
                    balancer.nodeOf(localPort).orElse(0), null);
        } catch (IOException | RuntimeException e) {
            int node = connection == null ? balancer.latestNodeFrom(from).orElse(0)
                    : balancer.nodeOf(connection.localPort()).orElse(0);
            return new Outcome(number, user, -1, null, node, e.toString());
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // done with it
                }
            }
        }
    }

    /** A mark in the sequence of requests: {@link #since(long)} returns what was sent after it. */
    long mark() {
        return sequence.get();
    }

    /** The outcomes of requests sent after {@code mark}. */
    List<Outcome> since(long mark) {
        return outcomes.stream().filter(o -> o.sequence() > mark).toList();
    }

    /**
     * Waits (at most {@code limit}) until every user has had {@code count} outcomes after {@code mark} that
     * {@code matching} accepts; true if they did.
     */
    boolean awaitEach(long mark, int count, java.util.function.Predicate<Outcome> matching, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<Outcome> after = since(mark);
            boolean all = cookies.keySet().stream().allMatch(user -> after.stream()
                    .filter(o -> o.user().equals(user) && matching.test(o)).count() >= count);
            if (all) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    Optional<Outcome> first(long mark, java.util.function.Predicate<Outcome> matching) {
        return since(mark).stream().filter(matching).findFirst();
    }

    /** Stops sending and waits for the requests in flight. */
    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
