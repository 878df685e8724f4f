package org.portcullis.signin;

import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.portcullis.policy.AuthFactor;
import org.portcullis.policy.AuthState;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionIdHash;

/**
 * Every long-lived stream the gateway relays for a signed-in session — WebSocket tunnels, and the RD Gateway, SSH and
 * TCP tunnels of later issues — registered against the session that opened it, so that the stream ends when the
 * session ends (SECURITY-RULES 23): a stream carries no requests the gateway could check one by one.
 *
 * <p>Whoever ends sessions in this process cuts their streams at once through the {@code end…} methods, naming why
 * ({@link StreamCuttingSessionStore} does it for every session the store deletes: sign-out, expiry noticed by a
 * request, revocation, rotation; the users file's reload, wired in {@code SignInAssembly}, for users removed or
 * disabled; the server's shutdown). What this process cannot see — a {@code portcullis sessions revoke} or
 * {@code users reset-mfa} run by another process against the same store, a timeout passing on the clock, a config
 * reload whose policy no longer lets the stream's user through — {@link TunnelWatch} finds by checking the registered
 * streams every {@link TunnelWatch#CHECK_INTERVAL}.
 *
 * <p>Each stream counts the bytes it relays each way and ends exactly once: {@link StreamEvents#closed} is told the
 * first cause (a cut, or the side that closed first) when the client side's channel has closed, whoever closed it.
 *
 * <p>Thread-safe: streams open on event loops and are cut from storage threads and timers. Cutting closes the
 * stream's channels ({@link Channel#close()} is safe from any thread).
 */
public final class LiveStreams {

    /**
     * What an admin (or the audit trail) may know about one stream. No secret: the session appears by its hash (and
     * by its {@link SessionIdHash#displayId() display id} wherever it is shown).
     *
     * @param session  the hash of the session that opened the stream
     * @param user     the user of that session
     * @param target   what the stream reaches: the canonical host and path the client opened, or {@code host:port}
     * @param route    the route's (or remote desktop's) name
     * @param openedAt when the stream opened, by the gateway's clock
     * @param factors  the factors the session had completed when the stream opened, and when each was completed
     * @param source   the client's address as the gateway saw it (after trusted proxies), or null if unknown
     * @param kind     what the stream carries
     */
    public record Entry(SessionIdHash session, String user, String target, String route, Instant openedAt,
                        Map<AuthFactor, Instant> factors, String source, StreamKind kind) {
        public Entry {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(openedAt, "openedAt");
            factors = factors == null || factors.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(factors));
            Objects.requireNonNull(kind, "kind");
        }

        /** An entry of a WebSocket tunnel with no factors or source recorded. */
        public Entry(SessionIdHash session, String user, String target, String route, Instant openedAt) {
            this(session, user, target, route, openedAt, Map.of(), null, StreamKind.WEBSOCKET);
        }

        /** The factors' names in a stable order, lower case ({@code password,totp}), as the audit trail writes them. */
        public List<String> factorNames() {
            return factors.keySet().stream().sorted().map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
        }
    }

    /**
     * Everything a stream is registered with (the rich form of {@link #open(SessionId, String, String, String,
     * Instant, Channel, Channel)}).
     *
     * @param session        the session that opened it
     * @param entry          what is known about it
     * @param sessionExpiry  the session's absolute expiry, to tell an absolute from an idle expiry; null if unknown
     * @param maxDuration    the stream's own absolute cap
     * @param idleTimeout    how long it may carry no bytes, or null for no limit of its own
     * @param policy         whether the current policy still lets the session's present state through to the
     *                       stream's target: asked after every config reload; null: not re-decided
     */
    public record Opening(SessionId session, Entry entry, Instant sessionExpiry, Duration maxDuration,
                          Duration idleTimeout, Predicate<AuthState> policy) {
        public Opening {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(maxDuration, "maxDuration");
        }
    }

    /** One open stream: its entry, its channels, its byte counts and its limits. */
    public static final class Stream {
        private final long number;
        private final Opening opening;
        private final List<Channel> channels;
        private final AtomicBoolean traffic = new AtomicBoolean();
        private final AtomicBoolean activity = new AtomicBoolean();
        private final AtomicLong fromClient = new AtomicLong();
        private final AtomicLong toClient = new AtomicLong();
        private final AtomicReference<StreamCloseReason> reason = new AtomicReference<>();
        private volatile Instant lastActivity;

        private Stream(long number, Opening opening, List<Channel> channels) {
            this.number = number;
            this.opening = opening;
            this.channels = channels;
            this.lastActivity = opening.entry().openedAt();
        }

        public Entry entry() {
            return opening.entry();
        }

        /** Unique among this registry's streams (the store's table of open streams names them by it). */
        public long number() {
            return number;
        }

        /** The session's id, to re-validate it (it never leaves the gateway; {@link SessionId} prints redacted). */
        SessionId id() {
            return opening.session();
        }

        Opening opening() {
            return opening;
        }

        /** Called by the stream's relay on every read; cheap, lock-free. */
        public void sawTraffic() {
            traffic.lazySet(true);
            activity.lazySet(true);
        }

        /** {@code bytes} relayed from the client towards the target (counted by the relay, exactly). */
        public void fromClient(long bytes) {
            fromClient.addAndGet(bytes);
            sawTraffic();
        }

        /** {@code bytes} relayed from the target towards the client. */
        public void toClient(long bytes) {
            toClient.addAndGet(bytes);
            sawTraffic();
        }

        /** Bytes relayed from the client to the target so far. */
        public long bytesFromClient() {
            return fromClient.get();
        }

        /** Bytes relayed from the target to the client so far. */
        public long bytesToClient() {
            return toClient.get();
        }

        /**
         * Records which side closed first ({@link StreamCloseReason#CLOSED_BY_CLIENT} or {@code CLOSED_BY_TARGET});
         * ignored when the stream was already cut for another reason.
         */
        public void endedBy(StreamCloseReason cause) {
            reason.compareAndSet(null, Objects.requireNonNull(cause, "cause"));
        }

        /** Why it ended, once it did; null while open and nobody closed it. */
        public StreamCloseReason closeReason() {
            return reason.get();
        }

        /** Whether the stream carried traffic since the last call (session activity). */
        boolean takeTraffic() {
            return traffic.getAndSet(false);
        }

        /** Moves the stream's own idle clock to {@code now} if it carried traffic since the last call. */
        Instant lastActivity(Instant now) {
            if (activity.getAndSet(false)) {
                lastActivity = now;
            }
            return lastActivity;
        }

        private void cut(StreamCloseReason cause) {
            endedBy(cause);
            channels.forEach(Channel::close);
        }
    }

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong numbers = new AtomicLong();
    private final Clock clock;
    private final StreamEvents events;

    /** A registry that tells nobody about its streams (tests of the registry alone). */
    public LiveStreams() {
        this(Clock.system(ZoneOffset.UTC), StreamEvents.NONE);
    }

    /** @param clock the gateway's clock (close times); @param events told of every opening and end */
    public LiveStreams(Clock clock, StreamEvents events) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Registers a WebSocket tunnel between {@code client} and {@code upstream} for {@code session} with the default
     * limits and no policy re-decision; it leaves the registry when the client side closes. Prefer {@link
     * #open(Opening, Channel, Channel)}, which records factors, source, kind and limits.
     */
    public Stream open(SessionId session, String user, String target, String route, Instant openedAt,
                       Channel client, Channel upstream) {
        return open(new Opening(session, new Entry(session.hash(), user, target, route, openedAt), null,
                org.portcullis.config.RouteConfig.StreamLimits.DEFAULT_MAX_DURATION, null, null), client, upstream);
    }

    /** Registers a stream between {@code client} and {@code upstream}; it leaves the registry when the client closes. */
    public Stream open(Opening opening, Channel client, Channel upstream) {
        Stream stream = new Stream(numbers.incrementAndGet(), Objects.requireNonNull(opening, "opening"),
                List.of(client, upstream));
        open.add(stream);
        events.opened(stream);
        client.closeFuture().addListener(f -> {
            open.remove(stream);
            // Nobody cut it and the target did not close first: the client went away.
            stream.endedBy(StreamCloseReason.CLOSED_BY_CLIENT);
            upstream.close();
            events.closed(stream, stream.closeReason(), clock.instant());
        });
        return stream;
    }

    /** The streams open now (a snapshot). */
    public List<Entry> entries() {
        return open.stream().map(Stream::entry).toList();
    }

    /** The streams open now (a snapshot), with their byte counts. */
    public List<Stream> streams() {
        return List.copyOf(open);
    }

    public int size() {
        return open.size();
    }

    /** Cuts the streams of one session, saying why; returns how many. */
    public int endSession(SessionIdHash session, StreamCloseReason reason) {
        return endIf(entry -> entry.session().equals(session), reason);
    }

    /** Cuts the streams of one session as revoked; returns how many. */
    public int endSession(SessionIdHash session) {
        return endSession(session, StreamCloseReason.REVOKED);
    }

    /** Cuts every stream of {@code user}, saying why; returns how many. */
    public int endUser(String user, StreamCloseReason reason) {
        return endIf(entry -> entry.user().equals(user), reason);
    }

    /** Cuts every stream of {@code user} as revoked; returns how many. */
    public int endUser(String user) {
        return endUser(user, StreamCloseReason.REVOKED);
    }

    /** Cuts every stream (the gateway shuts down); returns how many. */
    public int endAll() {
        return endIf(entry -> true, StreamCloseReason.SHUTDOWN);
    }

    /** Cuts every stream whose entry matches, as revoked; returns how many. */
    public int endIf(Predicate<Entry> ended) {
        return endIf(ended, StreamCloseReason.REVOKED);
    }

    /** Cuts every stream whose entry matches, saying why; returns how many. */
    public int endIf(Predicate<Entry> ended, StreamCloseReason reason) {
        int cut = 0;
        for (Stream stream : open) {
            if (ended.test(stream.entry()) && end(stream, reason)) {
                cut++;
            }
        }
        return cut;
    }

    /** Cuts one stream, saying why. */
    boolean end(Stream stream, StreamCloseReason reason) {
        if (open.remove(stream)) {
            stream.cut(reason);
            return true;
        }
        return false;
    }
}
