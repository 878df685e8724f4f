package org.portcullis.signin;

import io.netty.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a WebSocket tunnel when the session that opened it ends (SECURITY-RULES 5): sign-out, revocation, the idle or
 * absolute timeout. A tunnel carries no requests the gateway could check one by one, so its session is checked every
 * {@link #CHECK_INTERVAL_SECONDS} seconds in the store; a session that no longer validates closes both sides.
 *
 * <p>Traffic in the tunnel is activity: a tunnel that carried bytes since the last check moves its session's idle
 * deadline (a clinician working in a web console for an hour is not idle); a silent one does not, so an abandoned
 * console ends with the idle timeout like any other session.
 */
public final class TunnelWatch implements AutoCloseable {
    public static final long CHECK_INTERVAL_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(TunnelWatch.class);

    /** One open tunnel and the session it belongs to. */
    public static final class Tunnel {
        private final SessionId session;
        private final List<Channel> channels;
        private final AtomicBoolean traffic = new AtomicBoolean();

        Tunnel(SessionId session, List<Channel> channels) {
            this.session = session;
            this.channels = channels;
        }

        /** Called by the tunnel's relay on every read; cheap, lock-free. */
        public void sawTraffic() {
            traffic.lazySet(true);
        }
    }

    private final Map<Tunnel, Boolean> open = new ConcurrentHashMap<>();
    private final SignInServices services;
    private final Supplier<SessionManager> sessions;
    private final ScheduledExecutorService timer;

    public TunnelWatch(SignInServices services, Supplier<SessionManager> sessions) {
        this.services = Objects.requireNonNull(services, "services");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "portcullis-tunnel-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkSoon, CHECK_INTERVAL_SECONDS, CHECK_INTERVAL_SECONDS,
                TimeUnit.SECONDS);
    }

    /** Watches a new tunnel between {@code client} and {@code upstream}; it is forgotten when the client side closes. */
    public Tunnel watch(SessionId session, Channel client, Channel upstream) {
        Tunnel tunnel = new Tunnel(session, List.of(client, upstream));
        open.put(tunnel, Boolean.TRUE);
        client.closeFuture().addListener(f -> open.remove(tunnel));
        return tunnel;
    }

    /** How many tunnels are watched (tests, metrics). */
    public int size() {
        return open.size();
    }

    /** Checks every tunnel's session now, on a storage thread; completes when done (tests call this). */
    public java.util.concurrent.CompletableFuture<Integer> checkNow() {
        return services.storage().submit(this::check);
    }

    private void checkSoon() {
        checkNow().exceptionally(error -> {
            // The store did not answer: the tunnels stay until the next check rather than all being cut at once.
            LOG.warn("tunnel session check failed: {}", error.toString());
            return 0;
        });
    }

    /** Closes the tunnels whose session no longer validates; returns how many closed. */
    int check() {
        SessionManager manager = sessions.get();
        int closed = 0;
        for (Tunnel tunnel : open.keySet()) {
            if (!alive(tunnel, manager)) {
                open.remove(tunnel);
                tunnel.channels.forEach(Channel::close);
                closed++;
            }
        }
        return closed;
    }

    /** Valid and its user still enabled; traffic since the last check counts as activity. */
    private boolean alive(Tunnel tunnel, SessionManager manager) {
        if (tunnel.traffic.getAndSet(false)) {
            return services.resolver().resolveNow(tunnel.session, manager).signedIn();
        }
        return manager.live(tunnel.session.hash())
                .flatMap(session -> services.directory().find(session.user()))
                .filter(user -> !user.disabled())
                .isPresent();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
