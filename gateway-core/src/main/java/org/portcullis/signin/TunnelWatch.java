package org.portcullis.signin;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a WebSocket tunnel when the session that opened it ends (SECURITY-RULES 5 and 23), within a second. Tunnels
 * are registered in {@link LiveStreams}; sign-out, revocation, expiry noticed by a request and user removal in this
 * process cut them at once from there. What this process is not told about is found here, by checking every
 * registered session in the store every {@link #CHECK_INTERVAL}: a {@code portcullis sessions revoke} run by another
 * process against the same SQLite store, and an idle or absolute timeout passing on the clock while nobody asks. The
 * check costs one primary-key read per open tunnel and nothing while none is open.
 *
 * <p>Traffic in the tunnel is activity: a tunnel that carried bytes since the last check moves its session's idle
 * deadline (a clinician working in a web console for an hour is not idle; the store is written at most once per
 * touch interval); a silent one does not, so an abandoned console ends with the idle timeout like any other session.
 */
public final class TunnelWatch implements AutoCloseable {
    /** How often the registered sessions are checked in the store: well inside the one second rule 23 allows. */
    public static final Duration CHECK_INTERVAL = Duration.ofMillis(400);
    private static final Logger LOG = LoggerFactory.getLogger(TunnelWatch.class);

    private final LiveStreams streams;
    private final SignInServices services;
    private final Supplier<SessionManager> sessions;
    private final ScheduledExecutorService timer;

    public TunnelWatch(SignInServices services, Supplier<SessionManager> sessions) {
        this.services = Objects.requireNonNull(services, "services");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.streams = services.liveStreams();
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "portcullis-tunnel-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkIfAny, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Registers a new tunnel of {@code session} between {@code client} and {@code upstream}; it is forgotten when the
     * client side closes.
     */
    public LiveStreams.Stream watch(SessionId session, String user, String target, String route, Channel client,
                                    Channel upstream) {
        return streams.open(session, user, target, route, services.clock().instant(), client, upstream);
    }

    /** How many tunnels are watched (tests, metrics). */
    public int size() {
        return streams.size();
    }

    /** Checks every tunnel's session now, on a storage thread; completes with how many were cut (tests). */
    public CompletableFuture<Integer> checkNow() {
        return services.sessionReads().submit(this::check);
    }

    /** One check at a time: the timer thread waits for it, so a slow store never piles checks up. */
    private void checkIfAny() {
        if (streams.size() == 0) {
            return;
        }
        try {
            checkNow().get(CHECK_INTERVAL.toMillis() * 10, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The store did not answer: the tunnels stay until the next check rather than all being cut at once.
            LOG.warn("tunnel session check failed: {}", e.toString());
        }
    }

    /** Cuts the tunnels whose session no longer validates; returns how many. */
    int check() {
        SessionManager manager = sessions.get();
        int cut = 0;
        for (LiveStreams.Stream stream : streams.streams()) {
            if (!alive(stream, manager) && streams.end(stream)) {
                cut++;
            }
        }
        return cut;
    }

    /** Valid and its user still enabled; traffic since the last check counts as activity. */
    private boolean alive(LiveStreams.Stream stream, SessionManager manager) {
        if (stream.takeTraffic()) {
            return services.resolver().resolveNow(stream.id(), manager).signedIn();
        }
        return manager.live(stream.entry().session())
                .flatMap(session -> services.directory().find(session.user()))
                .filter(user -> !user.disabled())
                .isPresent();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
