package org.portcullis.session;

/**
 * The wire between the nodes of a cluster for {@link SessionInvalidation}s (issue 18): Redis pub/sub today
 * ({@code cluster.RedisInvalidationChannel}) or, without Redis on a PostgreSQL store, {@code LISTEN/NOTIFY}
 * ({@code cluster.PostgresInvalidationChannel}). Only
 * {@link SessionFanOut} uses it; it holds no policy: what a silent channel means is decided there.
 *
 * <p>Every message reaches every node subscribed at that moment, at most once, in the order one node sent them; a
 * node that was not subscribed misses it, which the transport must report through {@link Receiver#subscribed()}.
 */
public interface InvalidationChannel extends AutoCloseable {

    /** Starts delivering to {@code receiver}; returns once the first subscription is confirmed or failed. */
    void open(Receiver receiver);

    /** Sends one invalidation of this node to the others. Blocks at most the command timeout; throws on failure. */
    void send(SessionInvalidation event);

    /** Sends a heartbeat that comes back to this node only; throws on failure. */
    void beat(long sequence);

    @Override
    void close();

    /** What arrives, on the transport's thread. */
    interface Receiver {
        /** Another node's invalidation (this node's own are not delivered back). */
        void fromOtherNode(SessionInvalidation event);

        /** This node's own heartbeat came back: the channel carried a message both ways just now. */
        void ownBeat(long sequence);

        /** A subscription was (re)confirmed: messages sent while it was down are lost. */
        void subscribed();
    }
}
