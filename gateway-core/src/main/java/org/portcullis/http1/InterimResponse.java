package org.portcullis.http1;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Objects;

/**
 * A 1xx response other than 101 (RFC 9110 §15.2: 100 Continue, 102, 103 Early Hints). It is its own type, not an
 * {@code HttpResponse}, so a relay handler cannot take it for the final response; the final response follows.
 * The gateway decides whether to relay it ({@link #toFullHttpResponse()}) or drop it.
 */
public record InterimResponse(HttpVersion version, HttpResponseStatus status, HttpHeaders headers) {
    public InterimResponse {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(headers, "headers");
    }

    /** The interim response as a message that {@code HttpResponseEncoder} can write to the client. */
    public FullHttpResponse toFullHttpResponse() {
        return new DefaultFullHttpResponse(version, status, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
    }
}
