package org.portcullis.signin;

import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.portcullis.identity.User;
import org.portcullis.identity.UserDirectory;
import org.portcullis.policy.AuthFactor;
import org.portcullis.session.Session;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionStore;
import org.portcullis.storage.StorageExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a long-lived stream when the session that opened it ends, or when it may no longer run (SECURITY-RULES 5 and
 * 23), within a second. Streams are registered in {@link LiveStreams}; sign-out, revocation, expiry noticed by a
 * request and user removal in this process cut them at once from there. What this process is not told about is found
 * here, by checking every registered stream every {@link #CHECK_INTERVAL}:
 * <ul>
 *   <li>a {@code portcullis sessions revoke} or {@code users reset-mfa} run by another process against the same
 *       SQLite store (the session is gone: {@code revoked}, or {@code mfa_reset} when the user no longer has the
 *       second factor the stream was opened with);</li>
 *   <li>the session's idle or absolute timeout passing on the clock while nobody asks;</li>
 *   <li>the stream's own {@code max_duration} and {@code idle_timeout} (route keys {@code max_stream_duration} and
 *       {@code stream_idle_timeout});</li>
 *   <li>an applied config reload: every open stream is re-decided with the new policy, for its route, host and path
 *       and the user's present groups and factors; one the policy would no longer let through ends
 *       ({@code policy_changed}).</li>
 * </ul>
 * The check costs one primary-key read per open stream and nothing while none is open.
 *
 * <p>Traffic in the stream is activity: a stream that carried bytes since the last check moves its session's idle
 * deadline (a clinician working in a web console for an hour is not idle; the store is written at most once per
 * touch interval); a silent one does not, so an abandoned console ends with the idle timeout like any other session.
 */
public final class TunnelWatch implements AutoCloseable {
    /** How often the registered sessions are checked in the store: well inside the one second rule 23 allows. */
    public static final Duration CHECK_INTERVAL = Duration.ofMillis(400);
    private static final Logger LOG = LoggerFactory.getLogger(TunnelWatch.class);

    private final LiveStreams streams;
    private final Clock clock;
    private final StorageExecutor storage;
    private final SessionResolver resolver;
    private final SessionStore store;
    private final UserDirectory directory;
    private final Predicate<String> hasSecondFactor;
    private final Supplier<SessionManager> sessions;
    private final Supplier<Object> policyVersion;
    private final ScheduledExecutorService timer;
    private Object decidedWith;

    /**
     * The checks run on {@code storage}; {@code sessions} gives the session manager of the snapshot being served (its
     * timeouts), asked at every check; {@code store} is read (never written) to tell why a session is gone;
     * {@code hasSecondFactor} says whether a user still has a second factor enrolled; {@code policyVersion} changes
     * (by identity) with every applied config reload, which makes the next check re-decide every stream.
     */
    public TunnelWatch(LiveStreams streams, Clock clock, StorageExecutor storage, SessionResolver resolver,
                       SessionStore store, UserDirectory directory, Predicate<String> hasSecondFactor,
                       Supplier<SessionManager> sessions, Supplier<Object> policyVersion) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.store = Objects.requireNonNull(store, "store");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.hasSecondFactor = Objects.requireNonNull(hasSecondFactor, "hasSecondFactor");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.policyVersion = Objects.requireNonNull(policyVersion, "policyVersion");
        this.decidedWith = policyVersion.get();
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "portcullis-tunnel-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkIfAny, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Registers a new tunnel of {@code session} between {@code client} and {@code upstream} with the default limits;
     * it is forgotten when the client side closes.
     */
    public LiveStreams.Stream watch(SessionId session, String user, String target, String route, Channel client,
                                    Channel upstream) {
        return streams.open(session, user, target, route, clock.instant(), client, upstream);
    }

    /** Registers a new stream; it is forgotten when the client side closes. */
    public LiveStreams.Stream watch(LiveStreams.Opening opening, Channel client, Channel upstream) {
        return streams.open(opening, client, upstream);
    }

    /** The gateway's clock, which streams are opened by. */
    public Clock clock() {
        return clock;
    }

    /** How many streams are watched (tests, metrics). */
    public int size() {
        return streams.size();
    }

    /** Checks every stream now, on a storage thread; completes with how many were cut (tests). */
    public CompletableFuture<Integer> checkNow() {
        return storage.submit(this::check);
    }

    /** One check at a time: the timer thread waits for it, so a slow store never piles checks up. */
    private void checkIfAny() {
        if (streams.size() == 0) {
            decidedWith = policyVersion.get();
            return;
        }
        try {
            checkNow().get(CHECK_INTERVAL.toMillis() * 10, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The store did not answer: the streams stay until the next check rather than all being cut at once.
            LOG.warn("tunnel session check failed: {}", e.toString());
        }
    }

    /** Cuts the streams that may no longer run; returns how many. */
    synchronized int check() {
        SessionManager manager = sessions.get();
        Object version = policyVersion.get();
        boolean redecide = version != decidedWith;
        decidedWith = version;
        Instant now = clock.instant();
        int cut = 0;
        for (LiveStreams.Stream stream : streams.streams()) {
            StreamCloseReason reason;
            try {
                reason = verdict(stream, manager, redecide, now);
            } catch (RuntimeException e) {
                // Fail closed for a re-decision (the new policy could not be asked); otherwise try again next time.
                if (!redecide) {
                    throw e;
                }
                reason = StreamCloseReason.POLICY_CHANGED;
            }
            if (reason != null && streams.end(stream, reason)) {
                cut++;
            }
        }
        return cut;
    }

    /** Why {@code stream} must end now, or null if it may go on. */
    private StreamCloseReason verdict(LiveStreams.Stream stream, SessionManager manager, boolean redecide,
                                      Instant now) {
        LiveStreams.Opening opening = stream.opening();
        LiveStreams.Entry entry = stream.entry();
        if (!now.isBefore(entry.openedAt().plus(opening.maxDuration()))) {
            return StreamCloseReason.MAX_DURATION;
        }
        Instant lastActivity = stream.lastActivity(now);
        if (opening.idleTimeout() != null && !now.isBefore(lastActivity.plus(opening.idleTimeout()))) {
            return StreamCloseReason.IDLE_TIMEOUT;
        }
        Optional<User> user = directory.find(entry.user());
        if (user.isEmpty()) {
            return StreamCloseReason.USER_REMOVED;
        }
        if (user.get().disabled()) {
            return StreamCloseReason.USER_DISABLED;
        }
        Optional<Session> stored = store.get(entry.session());
        if (stored.isEmpty()) {
            return gone(stream, now);
        }
        if (!now.isBefore(stored.get().absoluteExpiry())) {
            return StreamCloseReason.EXPIRED_ABSOLUTE;
        }
        boolean traffic = stream.takeTraffic();
        if (!traffic && !redecide) {
            return manager.live(entry.session()).isPresent() ? null : StreamCloseReason.EXPIRED_IDLE;
        }
        if (manager.live(entry.session()).isEmpty()) {
            return StreamCloseReason.EXPIRED_IDLE;
        }
        // Traffic is activity (the session's idle deadline moves); a re-decision needs the user's present state.
        ResolvedSession resolved = resolver.resolveNow(stream.id(), manager);
        if (!resolved.signedIn()) {
            return StreamCloseReason.REVOKED;
        }
        if (redecide && opening.policy() != null && !opening.policy().test(resolved.authState())) {
            return StreamCloseReason.POLICY_CHANGED;
        }
        return null;
    }

    /** The session is no longer stored: ended by another process (or purged after it expired). */
    private StreamCloseReason gone(LiveStreams.Stream stream, Instant now) {
        LiveStreams.Entry entry = stream.entry();
        boolean openedWithSecondFactor = entry.factors().keySet().stream().anyMatch(f -> !f.isFirstFactor()
                || f == AuthFactor.PASSKEY);
        if (openedWithSecondFactor && !hasSecondFactor.test(entry.user())) {
            return StreamCloseReason.MFA_RESET;
        }
        Instant sessionExpiry = stream.opening().sessionExpiry();
        if (sessionExpiry != null && !now.isBefore(sessionExpiry)) {
            return StreamCloseReason.EXPIRED_ABSOLUTE;
        }
        return StreamCloseReason.REVOKED;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
