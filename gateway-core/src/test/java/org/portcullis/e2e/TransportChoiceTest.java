package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.uring.IoUring;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.BodyPattern;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * {@code server.transport}: the opt-in io_uring transport proxies like epoll (a request head, a streamed body both
 * ways, keep-alive), and where the kernel does not offer io_uring the gateway refuses to start with the reason instead
 * of quietly falling back. NIO, the portable fallback, is checked the same way.
 */
class TransportChoiceTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    static String config(String transport) {
        return """
                server:
                  listeners:
                    - address: 127.0.0.1:@PORT@
                  transport: %s
                routes:
                  - name: app
                    host: app.test
                    upstream: http://@UPSTREAM@
                access_control:
                  default_policy: bypass
                """.formatted(transport);
    }

    void proxiesThrough(Path dir, String transport) throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start();
             GatewayHarness gateway = GatewayHarness.start(dir, config(transport), upstream.port())) {
            assertThat(gateway.server().runtime().transport().name()).isEqualTo(transport);
            byte[] body = BodyPattern.bytes(0, 300_000);
            try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
                client.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + body.length + "\r\n\r\n");
                client.send(body);
                RawResponse first = client.readResponse(WAIT);
                assertThat(first.status()).isEqualTo(200);
                client.send("GET /bytes/200000 HTTP/1.1\r\nHost: app.test\r\n\r\n");
                RawResponse second = client.readResponse(WAIT);
                assertThat(second.status()).isEqualTo(200);
                assertThat(second.bodyLength()).isEqualTo(200_000);
            }
            RecordedRequest upload = upstream.takeRequest(WAIT);
            assertThat(upload.requestLine()).isEqualTo("POST /upload HTTP/1.1");
            assertThat(upload.bodyLength()).isEqualTo(body.length);
        }
    }

    @Test
    void ioUringProxiesLikeEpollOrRefusesToStartWithTheReason(@TempDir Path dir) throws Exception {
        if (IoUring.isAvailable()) {
            proxiesThrough(dir, "io_uring");
        } else {
            assertThatThrownBy(() -> GatewayHarness.start(dir, config("io_uring"), 9))
                    .hasMessageContaining("server.transport is io_uring, but io_uring is not available here");
        }
    }

    @Test
    void nioProxiesToo(@TempDir Path dir) throws Exception {
        proxiesThrough(dir, "nio");
    }
}
