package org.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class WebSocketHandshakeTest {
    // RFC 6455 §1.3 example
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    static HttpResponse response(int status, String upgrade, String... accepts) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        if (upgrade != null) {
            r.headers().set("Upgrade", upgrade);
        }
        for (String a : accepts) {
            r.headers().add("Sec-WebSocket-Accept", a);
        }
        return r;
    }

    @Test
    void computesRfcExample() {
        assertThat(WebSocketHandshake.expectedAccept(KEY)).isEqualTo(ACCEPT);
    }

    @Test
    void acceptsOnlyACorrect101ToWebSocket() {
        assertThat(WebSocketHandshake.isValidAcceptance(response(101, "websocket", ACCEPT), KEY)).isTrue();
        assertThat(WebSocketHandshake.isValidAcceptance(response(101, "websocket", "wrong="), KEY)).isFalse();
        assertThat(WebSocketHandshake.isValidAcceptance(response(101, "h2c", ACCEPT), KEY)).isFalse();
        assertThat(WebSocketHandshake.isValidAcceptance(response(101, null, ACCEPT), KEY)).isFalse();
        assertThat(WebSocketHandshake.isValidAcceptance(response(101, "websocket"), KEY)).isFalse();
        assertThat(WebSocketHandshake.isValidAcceptance(response(101, "websocket", ACCEPT, ACCEPT), KEY)).isFalse();
        assertThat(WebSocketHandshake.isValidAcceptance(response(200, "websocket", ACCEPT), KEY)).isFalse();
    }
}
