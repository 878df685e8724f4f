package org.portcullis.pool;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestEncoder;
import org.portcullis.http1.Http1Limits;
import org.portcullis.http1.StrictHttpResponseDecoder;
import org.portcullis.session.SessionId;

/**
 * An upstream connection over an {@link EmbeddedChannel}, with the handlers {@link UpstreamPool} gives a real one
 * (request encoder, strict response decoder, upstream handler), held for a client connection as
 * {@link PinnedUpstreams} holds a connection-bound one, so the next exchange takes it instead of connecting. The test
 * reads the bytes the upstream received with {@code readOutbound} and answers with {@code writeInbound}.
 */
public final class EmbeddedUpstreams {
    private EmbeddedUpstreams() {
    }

    /**
     * An open connection of {@code pool} over {@code channel} (built without handlers), held in {@code pinned} for
     * {@code session} (null for requests without a signed-in session).
     */
    public static UpstreamConnection heldIn(PinnedUpstreams pinned, UpstreamPool pool, EmbeddedChannel channel,
                                            SessionId session) {
        StrictHttpResponseDecoder decoder = new StrictHttpResponseDecoder(Http1Limits.responseDefaults());
        UpstreamHandler handler = new UpstreamHandler();
        channel.pipeline().addLast("request-encoder", new HttpRequestEncoder());
        channel.pipeline().addLast("response-decoder", decoder);
        channel.pipeline().addLast("upstream", handler);
        UpstreamConnection connection = new UpstreamConnection(channel, decoder, handler, pool);
        pinned.take(pool, session); // makes session the owner of what is held
        pinned.keep(connection, session, session == null ? null : "user");
        return connection;
    }
}
