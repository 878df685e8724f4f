package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebSocketHandshakeTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** A valid handshake with one header replaced (value null removes it). */
    private static HttpHeaders handshakeWith(String name, String value) {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Host", "app.example.org")
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Version", "13")
                .add("Sec-WebSocket-Key", KEY)
                .add("Origin", "https://app.example.org");
        if (name != null) {
            h.remove(name);
            if (value != null) {
                h.add(name, value);
            }
        }
        return h;
    }

    static Stream<Arguments> malformedHandshakes() {
        return Stream.of(
                arguments("POST", HttpVersion.HTTP_1_1, handshakeWith(null, null)),                   // not GET
                arguments("GET", HttpVersion.HTTP_1_0, handshakeWith(null, null)),                    // HTTP/1.0
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Upgrade", "websocket, h2c")),   // two protocols
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Upgrade", "websocketx")),       // not exactly websocket
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Upgrade", "websocket").add("Upgrade", "websocket")), // duplicate
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Connection", "keep-alive")),    // Connection lacks upgrade
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Sec-WebSocket-Version", "8")),  // old draft
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Sec-WebSocket-Version", null)), // missing version
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Sec-WebSocket-Key", null)),     // missing key
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Sec-WebSocket-Key", "c2hvcnQ=")), // 5 bytes
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZR==")), // non-zero pad bits
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25j!!==")), // not base64
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Sec-WebSocket-Key", KEY).add("Sec-WebSocket-Key", KEY)), // two keys
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Content-Length", "10")),        // body: frame smuggling
                arguments("GET", HttpVersion.HTTP_1_1, handshakeWith("Transfer-Encoding", "chunked"))); // chunked body
    }

    @ParameterizedTest
    @MethodSource("malformedHandshakes")
    void rejectsMalformedHandshake(String method, HttpVersion version, HttpHeaders headers) {
        boolean connectionHasUpgrade = headers.containsValue("Connection", "upgrade", true);
        assertThat(WebSocketHandshake.isAttempt(headers)).isTrue();
        assertThatThrownBy(() -> WebSocketHandshake.check(method, version, headers, connectionHasUpgrade))
                .isInstanceOfSatisfying(IngressRejection.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_WEBSOCKET_UPGRADE));
    }

    @org.junit.jupiter.api.Test
    void acceptsValidHandshakeAndRecognisesNonAttempts() throws IngressRejection {
        WebSocketHandshake.check("GET", HttpVersion.HTTP_1_1, handshakeWith("Content-Length", "0"), true);
        assertThat(WebSocketHandshake.isAttempt(handshakeWith("Upgrade", "h2c"))).isFalse();
        assertThat(WebSocketHandshake.isAttempt(new DefaultHttpHeaders())).isFalse();
        assertThat(List.of(KEY).stream().allMatch(WebSocketHandshake::isValidKey)).isTrue();
    }
}
