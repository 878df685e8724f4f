package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.e2e.HeaderSpoofingTest.assertGatewayForwardingHeaders;
import static org.portcullis.e2e.HeaderSpoofingTest.headersNamed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * SECURITY-RULES 6, trusted-proxy address spoofing: {@code X-Forwarded-For} is believed only from a configured
 * trusted proxy, and then only its right-most untrusted entry. Network rules of the policy prove which address the
 * gateway believed (a rule that bypasses one address, default deny); the upstream's {@code X-Forwarded-For} proves
 * what it passes on. The test client always connects from 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class HeaderSpoofingTrustedProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);

    /** 127.0.0.1 (the test client) is a trusted proxy; only the client 10.9.9.9 may pass. */
    private static final String TRUSTING = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
              trusted_proxies: [127.0.0.1/32, 192.168.0.0/16]
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
            access_control:
              default_policy: deny
              rules:
                - id: one-client
                  networks: [10.9.9.9/32]
                  policy: bypass
                - id: another-client
                  networks: [192.0.2.7/32]
                  policy: bypass
            """;

    /** 127.0.0.1 is not trusted: a rule for 6.6.6.6 must never match whatever the client writes. */
    private static final String NOT_TRUSTING = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
              trusted_proxies: [127.0.0.2/32]
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
            access_control:
              default_policy: deny
              rules:
                - id: open
                  paths: [/open, /open/**]
                  policy: bypass
                - id: spoofable
                  networks: [6.6.6.6/32]
                  policy: bypass
            """;

    private EchoUpstream upstream;
    private GatewayHarness trusting;
    private GatewayHarness notTrusting;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        upstream = EchoUpstream.start();
        trusting = GatewayHarness.start(Files.createDirectories(dir.resolve("trusting")), TRUSTING, upstream.port());
        notTrusting = GatewayHarness.start(Files.createDirectories(dir.resolve("not-trusting")), NOT_TRUSTING,
                upstream.port());
    }

    @AfterAll
    void stop() {
        trusting.close();
        notTrusting.close();
        upstream.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        GatewayUnderTest.drain(upstream);
    }

    @Test
    void trustedPeerRightMostUntrustedEntryIsTheClient() throws Exception {
        RawResponse response = RawHttpClient.exchange(trusting.port(),
                "GET /x HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 6.6.6.6, 10.9.9.9\r\n\r\n");

        // Only the rule for 10.9.9.9 lets anything through: the policy saw 10.9.9.9, not 6.6.6.6 nor the peer.
        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = upstream.takeRequest(WAIT);
        // The client, then the trusted peer; 6.6.6.6 (left of the client, written by whoever) is not passed on.
        assertThat(headersNamed(received, "X-Forwarded-For")).containsExactly("10.9.9.9, 127.0.0.1");
        assertThat(headersNamed(received, "Forwarded")).containsExactly("for=10.9.9.9;proto=http;host=app.test");
        assertThat(received.head()).doesNotContain("6.6.6.6");
    }

    @Test
    void trustedProxiesInTheChainAreSkippedAndKept() throws Exception {
        RawResponse response = RawHttpClient.exchange(trusting.port(),
                "GET /x HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 6.6.6.6, 192.0.2.7\r\n"
                        + "X-Forwarded-For: 192.168.1.1\r\n\r\n");

        // 192.168.1.1 is a trusted proxy (192.168.0.0/16), so the walk goes on to 192.0.2.7.
        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = upstream.takeRequest(WAIT);
        assertThat(headersNamed(received, "X-Forwarded-For")).containsExactly("192.0.2.7, 192.168.1.1, 127.0.0.1");
        assertThat(headersNamed(received, "Forwarded")).containsExactly("for=192.0.2.7;proto=http;host=app.test");
    }

    static Stream<Arguments> deniedChains() {
        return Stream.of(
                // the allowed address on the left, a spoofed untrusted one on the right: the right-most wins
                Arguments.of("10.9.9.9, 6.6.6.6"),
                // no header: the trusted peer itself is the client
                Arguments.of((Object) null),
                // a malformed entry stops the walk: the peer is the client, never the address left of it
                Arguments.of("10.9.9.9, unknown"),
                // a host name is never resolved nor believed
                Arguments.of("10.9.9.9, proxy.example"),
                // leading zeros are ambiguous (octal in some parsers)
                Arguments.of("10.9.9.009"),
                // an empty element
                Arguments.of("10.9.9.9,,"));
    }

    @ParameterizedTest(name = "X-Forwarded-For: {0}")
    @MethodSource("deniedChains")
    void trustedPeerWithAChainThatDoesNotNameTheAllowedClientIsDenied(String chain) throws Exception {
        RawResponse response = RawHttpClient.exchange(trusting.port(),
                "GET /x HTTP/1.1\r\nHost: app.test\r\n" + (chain == null ? "" : "X-Forwarded-For: " + chain + "\r\n")
                        + "\r\n");

        assertThat(response.status()).isEqualTo(403);
        assertThat(upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void trustedPeerMaySetTheSchemeWithXForwardedProto() throws Exception {
        RawResponse response = RawHttpClient.exchange(trusting.port(),
                "GET /x HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 10.9.9.9\r\nX-Forwarded-Proto: https\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = upstream.takeRequest(WAIT);
        assertThat(headersNamed(received, "X-Forwarded-Proto")).containsExactly("https");
        assertThat(headersNamed(received, "Forwarded")).containsExactly("for=10.9.9.9;proto=https;host=app.test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spoofAttempts")
    void untrustedPeerCannotSpoofItsAddressIntoANetworkRule(String headers) throws Exception {
        RawResponse response = RawHttpClient.exchange(notTrusting.port(),
                "GET /secret HTTP/1.1\r\nHost: app.test\r\n" + headers + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(403);
        assertThat(upstream.takeRequest(NOTHING)).isNull();
    }

    static Stream<Arguments> spoofAttempts() {
        return Stream.of(
                // the classic spoof
                Arguments.of("X-Forwarded-For: 6.6.6.6"),
                // the address at both ends of a chain
                Arguments.of("X-Forwarded-For: 6.6.6.6, 6.6.6.6"),
                // RFC 7239 is never read
                Arguments.of("Forwarded: for=6.6.6.6"),
                // nor the nginx and Akamai/Cloudflare headers
                Arguments.of("X-Real-IP: 6.6.6.6\r\nTrue-Client-IP: 6.6.6.6\r\nCF-Connecting-IP: 6.6.6.6"),
                // nor odd spellings of X-Forwarded-For
                Arguments.of("X_Forwarded_For: 6.6.6.6\r\nx-forwarded-for: 6.6.6.6"));
    }

    @Test
    void untrustedPeerSpoofedChainIsReplacedByThePeer() throws Exception {
        RawResponse response = RawHttpClient.exchange(notTrusting.port(),
                "GET /open/x HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\n"
                        + "Forwarded: for=6.6.6.6;proto=https\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = upstream.takeRequest(WAIT);
        assertGatewayForwardingHeaders(received, "127.0.0.1", "http", "app.test");
        assertThat(received.head()).doesNotContain("6.6.6.6");
    }
}
