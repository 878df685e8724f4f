package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RecordedRequest;

/**
 * SECURITY-RULES 19 "body minimum rate": a client that sends a byte just before each read pause would expire must
 * still lose the socket once its average rate falls below {@code body_min_rate}.
 */
class BodyMinRateTest {
    @RegisterExtension
    final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.simpleConfig("""
                limits:
                  body_read_timeout: 300ms
                  body_min_rate: 1KiB
                """, GatewayHarness.BYPASS_ALL));

    @Test
    void tricklingBodyIsCutOffBelowMinimumRate() throws Exception {
        String answer = "";
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100\r\n\r\n");
            // One byte every 100 ms never lets the 300 ms pause expire, but is far below 1 KiB/s.
            for (int i = 0; i < 30 && answer.isEmpty(); i++) {
                try {
                    client.send("x");
                } catch (IOException closedByGateway) {
                    break;
                }
                answer = new String(client.readAvailable(Duration.ofMillis(100)), StandardCharsets.ISO_8859_1);
            }
            if (answer.isEmpty()) {
                answer = new String(client.readAvailable(Duration.ofSeconds(2)), StandardCharsets.ISO_8859_1);
            }
            assertThat(client.isClosedByPeer(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(answer).startsWith("HTTP/1.1 408 ");
        assertThat(gateway.upstream().requests()).noneMatch(RecordedRequest::complete);
    }
}
