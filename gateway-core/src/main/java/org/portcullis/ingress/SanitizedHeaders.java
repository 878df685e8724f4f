package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;

/**
 * The forwardable header set built by {@link HeaderSanitizer}.
 *
 * @param headers          the client's end-to-end headers without hop-by-hop, override, forwarding and identity
 *                         headers; with {@code Upgrade: websocket} and {@code Connection: Upgrade} for a valid
 *                         WebSocket upgrade, and {@code Transfer-Encoding: chunked} when the client sent a chunked
 *                         body (the gateway re-chunks it). No Host: the facade sets the canonical one.
 * @param websocketUpgrade true when the request is a validated WebSocket upgrade
 */
public record SanitizedHeaders(HttpHeaders headers, boolean websocketUpgrade) {
    public SanitizedHeaders {
        Objects.requireNonNull(headers, "headers");
    }
}
