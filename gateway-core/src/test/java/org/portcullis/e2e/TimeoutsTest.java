package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.portcullis.fixtures.Behaviour;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * SECURITY-RULES 19: a slow client costs a socket and a timer, never more. Slowloris heads, stalled bodies and idle
 * keep-alive connections are cut off by the client clocks (tiny values here: 300 ms head and body, 500 ms idle),
 * while a request that waits on a slow upstream is governed by the upstream timeout alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeoutsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final Duration HEADER_READ_TIMEOUT = Duration.ofMillis(300);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(500);
    /** Between two bytes of a slowloris head: each byte comes well within any "time since last byte" clock. */
    private static final long TRICKLE_MILLIS = 100;

    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            limits:
              header_read_timeout: 300ms
              body_read_timeout: 300ms
              idle_timeout: 500ms
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 10s
            access_control:
              default_policy: bypass
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(CONFIG);

    @BeforeEach
    void resetUpstreamBehaviour() {
        gateway.upstream().behaviour(Behaviour.NORMAL).slowDelay(Duration.ofMillis(10));
    }

    @Test
    void slowlorisHeadIsCutOffAfterTheHeaderReadTimeoutEvenThoughBytesKeepComing() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            long started = System.nanoTime();
            client.send("G");
            AtomicInteger sent = new AtomicInteger(1);
            String rest = "ET / HTTP/1.1\r\nHost: app.test\r\nX-Slow: " + "a".repeat(20);
            Thread trickle = new Thread(() -> trickle(client, rest, sent), "slowloris");
            trickle.setDaemon(true);
            trickle.start();
            try {
                RawResponse[] answer = new RawResponse[1];
                Throwable closed = catchThrowable(() -> answer[0] = client.readResponse(WAIT));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                if (closed == null) {
                    assertThat(answer[0].status()).isEqualTo(408);
                    assertThat(answer[0].header("Connection")).isEqualToIgnoringCase("close");
                } else {
                    // A plain close is also acceptable; a read that timed out (SocketTimeoutException) is not.
                    assertThat(closed).isInstanceOf(IOException.class)
                            .isNotInstanceOf(SocketTimeoutException.class);
                }
                assertThat(took).isBetween(HEADER_READ_TIMEOUT.minusMillis(50), Duration.ofMillis(1200));
                assertThat(sent.get()).as("bytes kept coming while the clock ran").isGreaterThanOrEqualTo(3);
                assertThat(client.isClosedByPeer(WAIT)).isTrue();
            } finally {
                trickle.interrupt();
                trickle.join(WAIT.toMillis());
            }
        }
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    /** Sends one byte every {@link #TRICKLE_MILLIS} until the text is out, the peer closes, or interrupted. */
    private static void trickle(RawHttpClient client, String text, AtomicInteger sent) {
        try {
            for (char c : text.toCharArray()) {
                Thread.sleep(TRICKLE_MILLIS);
                client.send(String.valueOf(c));
                sent.incrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            // the gateway closed the connection, or the test is over
        }
    }

    @Test
    void stalledBodyIsCutOffAfterTheBodyReadTimeoutAndNeverReachesTheUpstreamComplete() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            long started = System.nanoTime();
            client.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100\r\n\r\n0123456789");
            RawResponse[] answer = new RawResponse[1];
            Throwable closed = catchThrowable(() -> answer[0] = client.readResponse(WAIT));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            if (closed == null) {
                assertThat(answer[0].status()).isEqualTo(408);
            } else {
                assertThat(closed).isInstanceOf(IOException.class)
                        .isNotInstanceOf(SocketTimeoutException.class);
            }
            assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofMillis(1500));
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        RecordedRequest received = gateway.upstream().takeRequest(NOTHING);
        if (received != null) {
            // The head went out while the body streamed; the upstream must see the request cut off, not completed.
            assertThat(received.complete()).isFalse();
            assertThat(received.bodyLength()).isLessThan(100);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /once HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            long answered = System.nanoTime();

            assertThat(client.isClosedByPeer(WAIT)).isTrue();
            Duration idle = Duration.ofNanos(System.nanoTime() - answered);
            assertThat(idle).isBetween(IDLE_TIMEOUT.minusMillis(100), Duration.ofMillis(2000));
        }
    }

    @Test
    void connectionThatNeverSendsAByteIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            long started = System.nanoTime();
            assertThat(client.readAvailable(WAIT)).isEmpty();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(IDLE_TIMEOUT.minusMillis(100), Duration.ofMillis(2000));
        }
    }

    @Test
    void requestWaitingOnASlowUpstreamIsNotKilledByTheClientClocks() throws Exception {
        // A head of ~120 bytes at 7 ms a byte: the answer takes longer than the head, body and idle clocks (300 and
        // 500 ms), well within upstream_timeout (10s, generous so a loaded machine cannot turn the wait into a 504).
        gateway.upstream().slowDelay(Duration.ofMillis(7));
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            long started = System.nanoTime();
            client.send("GET /misbehave/slow-headers/bytes/10 HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse slow = client.readResponse(WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(slow.status()).isEqualTo(200);
            assertThat(slow.bodyLength()).isEqualTo(10);
            assertThat(took).isGreaterThan(IDLE_TIMEOUT.plusMillis(100));

            // The same connection, with a body this time: the body clock stops once the body is complete.
            client.send("POST /misbehave/slow-headers/bytes/10 HTTP/1.1\r\nHost: app.test\r\nContent-Length: 3\r\n\r\n"
                    + "abc");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }
        assertThat(gateway.upstream().takeRequest(WAIT).path()).isEqualTo("/misbehave/slow-headers/bytes/10");
        assertThat(gateway.upstream().takeRequest(WAIT).bodyText()).isEqualTo("abc");
    }
}
