package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RecordedRequest;

/**
 * The "nothing else reached the upstream" check of the attack tests. After an attack the client sends this harmless
 * request, which the gateway always forwards; the upstream then must record it as the next and only request.
 * Anything the gateway had forwarded for the attack would have arrived before it, so a test need not wait a long
 * "nothing arrives" time: the sentinel bounds it.
 */
final class Sentinel {
    static final String REQUEST = "GET /sentinel HTTP/1.1\r\nHost: app.test\r\n\r\n";
    static final String REQUEST_LINE = "GET /sentinel HTTP/1.1";
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** After the sentinel, how long nothing more may arrive. */
    private static final Duration QUIET = Duration.ofMillis(50);

    private Sentinel() {
    }

    /** Sends the sentinel on a new connection and asserts that it is forwarded (200). */
    static void send(int gatewayPort) throws IOException {
        assertThat(GatewayUnderTest.get(gatewayPort, "app.test", "/sentinel").status())
                .as("the sentinel passes").isEqualTo(200);
    }

    /** The sentinel, already sent, is the first request the upstream records, and nothing follows it. */
    static void assertOnlySentinelReached(EchoUpstream upstream) {
        RecordedRequest first = upstream.takeRequest(WAIT);
        assertThat(first).as("the sentinel reaches the upstream").isNotNull();
        assertThat(first.requestLine()).as("the refused request never reaches the upstream").isEqualTo(REQUEST_LINE);
        assertThat(upstream.takeRequest(QUIET)).isNull();
    }
}
