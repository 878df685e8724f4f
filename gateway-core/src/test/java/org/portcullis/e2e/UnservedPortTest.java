package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * SECURITY-RULES 9 (port validated): a {@code Host} or absolute-form target naming a port that no listener of the
 * gateway serves is refused with 400 instead of being forwarded with that port, where an upstream would build links,
 * redirects and cache keys from it (host-header poisoning with a port). The scheme's default port is the origin
 * without a port and always passes; it is not forwarded as a port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class UnservedPortTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.SIMPLE_BYPASS_ALL);

    static Stream<String> unservedPorts() {
        return Stream.of(
                "Host: app.test:" + GatewayUnderTest.unusedPort(),    // some port nobody listens on
                "Host: app.test:443",                                 // https's default on a plain listener
                "Host: app.test:8443",                                // a typical TLS port, not configured here
                "Host: APP.test.:1",                                  // odd spelling, port 1
                "Host: 127.0.0.1:65535");                             // an address literal, top port
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unservedPorts")
    void hostNamingAPortNoListenerServesIsRefused(String hostLine) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(), "GET /p HTTP/1.1\r\n" + hostLine + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(gateway.upstream().takeRequest(NOTHING)).as("nothing reached the upstream").isNull();
    }

    @Test
    void absoluteFormTargetNamingAnUnservedPortIsRefused() throws Exception {
        int port = GatewayUnderTest.unusedPort();
        RawResponse response = RawHttpClient.exchange(gateway.port(), "GET http://app.test:" + port
                + "/p HTTP/1.1\r\nHost: app.test:" + port + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    @Test
    void theListenersOwnPortIsForwarded() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /p HTTP/1.1\r\nHost: app.test:" + gateway.port() + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.headers("Host")).containsExactly("app.test:" + gateway.port());
    }

    @Test
    void theSchemesDefaultPortIsTheOriginWithoutAPort() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(), "GET /p HTTP/1.1\r\nHost: app.test:80\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.headers("Host")).containsExactly("app.test");
    }
}
