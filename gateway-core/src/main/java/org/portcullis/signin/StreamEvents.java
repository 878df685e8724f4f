package org.portcullis.signin;

import java.time.Instant;

/**
 * Told when a stream opens and when it ends (the audit trail, the store's table of open streams). Called on event
 * loops and storage threads: an implementation must not block for long and must not throw.
 */
public interface StreamEvents {
    StreamEvents NONE = new StreamEvents() {
        @Override
        public void opened(LiveStreams.Stream stream) {
        }

        @Override
        public void closed(LiveStreams.Stream stream, StreamCloseReason reason, Instant closedAt) {
        }
    };

    /** Tells {@code first}, then {@code second}. */
    static StreamEvents both(StreamEvents first, StreamEvents second) {
        return new StreamEvents() {
            @Override
            public void opened(LiveStreams.Stream stream) {
                first.opened(stream);
                second.opened(stream);
            }

            @Override
            public void closed(LiveStreams.Stream stream, StreamCloseReason reason, Instant closedAt) {
                first.closed(stream, reason, closedAt);
                second.closed(stream, reason, closedAt);
            }
        };
    }

    void opened(LiveStreams.Stream stream);

    /** {@code stream}'s byte counts are final when this is called. */
    void closed(LiveStreams.Stream stream, StreamCloseReason reason, Instant closedAt);
}
