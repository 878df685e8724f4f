package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/** The gateway as a plain reverse proxy: what the upstream receives and what the client gets back. */
class ProxyBasicsTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.SIMPLE_BYPASS_ALL);

    @Test
    void forwardsCanonicalRequestWithGatewayForwardingHeaders() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /a/./b//c?q=1 HTTP/1.1\r\nHost: APP.test\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /a/b/c?q=1 HTTP/1.1");
        assertThat(received.header("Host")).isEqualTo("app.test");
        assertThat(received.headers("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void keepAliveRequestsReuseOneUpstreamConnection() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /n/" + i + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
                assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            }
        }
        assertThat(gateway.upstream().requestCount()).isEqualTo(3);
        assertThat(gateway.upstream().connectionCount()).isEqualTo(1);
    }

    @Test
    void unknownHostGets404AndNothingReachesUpstream() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET / HTTP/1.1\r\nHost: other.test\r\n\r\n");
        assertThat(response.status()).isEqualTo(404);
        assertThat(gateway.upstream().takeRequest(Duration.ofMillis(200))).isNull();
    }
}
