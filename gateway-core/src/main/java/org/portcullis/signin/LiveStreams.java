package org.portcullis.signin;

import io.netty.channel.Channel;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionIdHash;

/**
 * Every long-lived stream the gateway relays for a signed-in session — today the WebSocket tunnels — registered
 * against the session that opened it, so that the stream ends when the session ends (SECURITY-RULES 23): a stream
 * carries no requests the gateway could check one by one.
 *
 * <p>Whoever ends sessions in this process cuts their streams at once through the {@code end…} methods ({@link
 * StreamCuttingSessionStore} does it for every session the store deletes: sign-out, expiry noticed by a request,
 * revocation, rotation; the users file's reload, wired in {@code SignInAssembly}, for users removed from the file).
 * What this process cannot see — a {@code portcullis sessions revoke} run by another process against the same store,
 * a session's timeout passing on the clock — {@link TunnelWatch} finds by checking the registered sessions every
 * {@link TunnelWatch#CHECK_INTERVAL}.
 *
 * <p>Thread-safe: streams open on event loops and are cut from storage threads and timers. Cutting closes the
 * stream's channels ({@link Channel#close()} is safe from any thread); a stream leaves the registry when its client
 * side closes, whoever closed it.
 */
public final class LiveStreams {

    /**
     * What an admin (or the audit trail) may know about one stream. No secret: the session appears by its hash.
     *
     * @param session  the hash of the session that opened the stream
     * @param user     the user of that session
     * @param target   what the stream reaches: the canonical host and path the client opened
     * @param route    the route's name
     * @param openedAt when the stream opened, by the gateway's clock
     */
    public record Entry(SessionIdHash session, String user, String target, String route, Instant openedAt) {
        public Entry {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(openedAt, "openedAt");
        }
    }

    /** One open stream: its entry, its channels, and whether it carried traffic since its session was last checked. */
    public static final class Stream {
        private final Entry entry;
        private final SessionId id;
        private final List<Channel> channels;
        private final AtomicBoolean traffic = new AtomicBoolean();

        private Stream(Entry entry, SessionId id, List<Channel> channels) {
            this.entry = entry;
            this.id = id;
            this.channels = channels;
        }

        public Entry entry() {
            return entry;
        }

        /** The session's id, to re-validate it (it never leaves the gateway; {@link SessionId} prints redacted). */
        SessionId id() {
            return id;
        }

        /** Called by the stream's relay on every read; cheap, lock-free. */
        public void sawTraffic() {
            traffic.lazySet(true);
        }

        /** Whether the stream carried traffic since the last call. */
        boolean takeTraffic() {
            return traffic.getAndSet(false);
        }

        private void cut() {
            channels.forEach(Channel::close);
        }
    }

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    /**
     * Registers a stream between {@code client} and {@code upstream} for {@code session}; it leaves the registry when
     * the client side closes.
     */
    public Stream open(SessionId session, String user, String target, String route, Instant openedAt,
                       Channel client, Channel upstream) {
        Stream stream = new Stream(new Entry(session.hash(), user, target, route, openedAt), session,
                List.of(client, upstream));
        open.add(stream);
        client.closeFuture().addListener(f -> open.remove(stream));
        return stream;
    }

    /** The streams open now (a snapshot). */
    public List<Entry> entries() {
        return open.stream().map(Stream::entry).toList();
    }

    /** The streams open now (a snapshot), for the watch. */
    List<Stream> streams() {
        return List.copyOf(open);
    }

    public int size() {
        return open.size();
    }

    /** Cuts the streams of one session (signed out, revoked, expired or rotated away); returns how many. */
    public int endSession(SessionIdHash session) {
        return endIf(entry -> entry.session().equals(session));
    }

    /** Cuts every stream of {@code user} (all sessions revoked, account removed or disabled); returns how many. */
    public int endUser(String user) {
        return endIf(entry -> entry.user().equals(user));
    }

    /** Cuts every stream; returns how many. */
    public int endAll() {
        return endIf(entry -> true);
    }

    /** Cuts every stream whose entry matches; returns how many. */
    public int endIf(Predicate<Entry> ended) {
        int cut = 0;
        for (Stream stream : open) {
            if (ended.test(stream.entry()) && open.remove(stream)) {
                stream.cut();
                cut++;
            }
        }
        return cut;
    }

    /** Cuts one stream (its session no longer validates). */
    boolean end(Stream stream) {
        if (open.remove(stream)) {
            stream.cut();
            return true;
        }
        return false;
    }
}
