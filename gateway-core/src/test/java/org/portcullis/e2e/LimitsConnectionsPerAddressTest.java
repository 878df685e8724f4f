package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;

/**
 * SECURITY-RULES 19: {@code limits.max_connections_per_address} stops one address from holding every socket. The
 * connection over the limit is closed at once, before a byte of HTTP is read, and a slot freed by a closed connection
 * can be used again.
 */
class LimitsConnectionsPerAddressTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration AT_ONCE = Duration.ofSeconds(1);
    private static final int MAX_PER_ADDRESS = 3;

    @RegisterExtension
    final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.simpleConfig("""
                limits:
                  max_connections_per_address: 3
                """, GatewayHarness.BYPASS_ALL));

    @Test
    void connectionOverTheLimitIsClosedAtOnceAndTheSlotCanBeReusedAfterOneCloses() throws Exception {
        List<RawHttpClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_ADDRESS; i++) {
                RawHttpClient client = RawHttpClient.connect(gateway.port());
                held.add(client);
                // A completed exchange proves the gateway accepted and counted this connection.
                assertThat(get(client, "/held/" + i).status()).isEqualTo(200);
            }

            try (RawHttpClient fourth = RawHttpClient.connect(gateway.port())) {
                assertThat(fourth.isClosedByPeer(AT_ONCE)).as("the 4th connection is closed without a request")
                        .isTrue();
            }
            assertThat(gateway.upstream().requestCount()).isEqualTo(MAX_PER_ADDRESS);

            // The held connections are untouched by the refusal.
            assertThat(get(held.get(0), "/still-open").status()).isEqualTo(200);

            held.remove(2).close();
            try (RawHttpClient again = connectWhenASlotIsFree()) {
                assertThat(get(again, "/after-a-slot-freed").status()).isEqualTo(200);
            }
        } finally {
            for (RawHttpClient client : held) {
                client.close();
            }
        }
    }

    private static RawResponse get(RawHttpClient client, String path) throws IOException {
        client.send("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
        return client.readResponse(WAIT);
    }

    /**
     * The gateway frees the slot when it sees the close, a moment after the client closed; connections made before
     * that are refused, so try a few times within a bounded time.
     */
    private RawHttpClient connectWhenASlotIsFree() throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            RawHttpClient client = RawHttpClient.connect(gateway.port());
            try {
                client.send("GET /probe HTTP/1.1\r\nHost: app.test\r\n\r\n");
                if (client.readResponse(WAIT).status() == 200) {
                    return client;
                }
            } catch (IOException refusedBeforeTheSlotWasFreed) {
                // closed by the gateway: the slot was not free yet
            }
            client.close();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no connection accepted within " + WAIT + " after one was closed");
            }
        }
    }
}
