package org.portcullis.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 6455 §4.2.2: the upstream proves it speaks WebSocket by answering 101 with
 * {@code Sec-WebSocket-Accept = base64(SHA-1(key + GUID))}. The gateway tunnels only after checking it, so a
 * request cannot be smuggled past the HTTP parser by an upstream that answers 101 without switching protocols.
 */
final class WebSocketHandshake {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketHandshake() {
    }

    static String expectedAccept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("WebSocketHandshake: SHA-1 missing from the JDK", e);
        }
    }

    /** True when {@code response} is a 101 that switches to WebSocket and answers {@code key} correctly. */
    static boolean isValidAcceptance(HttpResponse response, String key) {
        if (response.status().code() != 101 || key == null) {
            return false;
        }
        String upgrade = response.headers().get(HttpHeaderNames.UPGRADE);
        String accept = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
        return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket")
                && response.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT).size() == 1
                && expectedAccept(key).equals(accept.trim());
    }
}
