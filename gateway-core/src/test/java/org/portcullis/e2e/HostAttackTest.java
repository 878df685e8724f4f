package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Host canonicalisation and the "never a forward proxy" rule through the whole gateway (SECURITY-RULES 9;
 * docs/request-handling.md §2, §4). Every policy decision bypasses, so only the front door and the router stand
 * between a request and the upstream: a refused or unrouted request must never be recorded there, and an accepted
 * one arrives in origin-form with the canonical {@code Host}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostAttackTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofMillis(50);

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.SIMPLE_BYPASS_ALL);

    /** Host values that reach the route, and the Host the upstream then receives. */
    static Stream<Arguments> acceptedHosts() {
        return Stream.of(
                // 1: upper case and one trailing dot: the same DNS name
                Arguments.of("APP.TEST.", "app.test"),
                // 2: mixed case
                Arguments.of("App.Test", "app.test"),
                // 3: the scheme's default port is dropped
                Arguments.of("app.test:80", "app.test"),
                // 4: all at once
                Arguments.of("APP.test.:80", "app.test"),
                // 5: another port the gateway serves (its listener's) is kept (routes match on the name only)
                Arguments.of("app.test:@PORT@", "app.test:@PORT@"),
                // 6: the same port, odd spelling of the name
                Arguments.of("App.Test.:@PORT@", "app.test:@PORT@"));
    }

    @ParameterizedTest(name = "Host: {0}")
    @MethodSource("acceptedHosts")
    void acceptedHostReachesRouteWithCanonicalHost(String hostTemplate, String canonicalTemplate) throws Exception {
        String host = hostTemplate.replace("@PORT@", Integer.toString(gateway.port()));
        String canonical = canonicalTemplate.replace("@PORT@", Integer.toString(gateway.port()));
        RawResponse response = RawHttpClient.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: " + host + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /x HTTP/1.1");
        assertThat(received.headers("Host")).containsExactly(canonical);
        assertThat(received.headers("X-Forwarded-Host")).containsExactly(canonical);
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    /** Host values that are refused (400, INVALID_HOST) or valid but without a route (404). */
    static Stream<Arguments> refusedHosts() {
        return Stream.of(
                // --- ports
                Arguments.of("app.test:0", 400),
                Arguments.of("app.test:65536", 400),
                Arguments.of("app.test:123456", 400),
                Arguments.of("app.test:", 400),
                Arguments.of("app.test:+80", 400),
                Arguments.of("app.test:-1", 400),
                Arguments.of("app.test:8o", 400),
                Arguments.of("app.test:80:80", 400),
                Arguments.of("app.test: 80", 400),
                // --- userinfo: http://trusted@evil
                Arguments.of("user@app.test", 400),
                Arguments.of("app.test@evil.test", 400),
                Arguments.of("user:pw@app.test", 400),
                // --- not one plain name
                Arguments.of("app..test", 400),
                Arguments.of(".app.test", 400),
                Arguments.of("app.test..", 400),
                Arguments.of("app%2etest", 400),
                Arguments.of("app.test/admin", 400),
                Arguments.of("app.test?x", 400),
                Arguments.of("app.test#x", 400),
                Arguments.of("app.test,evil.test", 400),
                Arguments.of("app.test\\evil.test", 400),
                Arguments.of("app test", 400),
                Arguments.of("", 400),
                // --- shorthand IPv4 forms resolvers read as addresses
                Arguments.of("127.1", 400),
                Arguments.of("0x7f.0.0.1", 400),
                Arguments.of("2130706433", 400),
                Arguments.of("010.0.0.1", 400),
                // --- IPv6 without brackets, with a zone, broken, IPvFuture
                Arguments.of("::1", 400),
                Arguments.of("[::1%25eth0]", 400),
                Arguments.of("[::1", 400),
                Arguments.of("[::1]x", 400),
                Arguments.of("[v1.fe]", 400),
                // --- valid, but no route: never forwarded anywhere
                Arguments.of("evil.test", 404),
                Arguments.of("xapp.test", 404),
                Arguments.of("app.test.evil.test", 404),
                Arguments.of("evil.app.test", 404),
                Arguments.of("127.0.0.1", 404),
                Arguments.of("localhost", 404),
                Arguments.of("[::1]", 404),
                Arguments.of("[0:0::1]", 404),
                // --- a port no listener serves: refused before routing, never forwarded with that port
                Arguments.of("app.test:8080", 400),
                Arguments.of("App.Test.:65535", 400),
                Arguments.of("[0:0::1]:8080", 400));
    }

    @ParameterizedTest(name = "Host: {0} -> {1}")
    @MethodSource("refusedHosts")
    void refusedOrUnroutedHostNeverReachesUpstream(String host, int status) throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET /x HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(status);
            // Not a framing error: the connection goes on with the next request.
            client.send(Sentinel.REQUEST);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }

        Sentinel.assertOnlySentinelReached(gateway.upstream());
    }

    /**
     * Request-targets in absolute and authority form; expected status; the request line the upstream receives (or
     * null when nothing may reach it) and the Host it receives. {@code @UPSTREAM@} is the upstream's address.
     */
    static Stream<Arguments> targets() {
        return Stream.of(
                // 1: absolute-form naming the same origin as Host: forwarded in origin-form
                Arguments.of("GET http://app.test/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 200,
                        "GET /x HTTP/1.1", "app.test"),
                // 2: scheme and host case, trailing dot, query kept
                Arguments.of("GET HTTP://APP.TEST./x?q=1 HTTP/1.1\r\nHost: app.test\r\n\r\n", 200,
                        "GET /x?q=1 HTTP/1.1", "app.test"),
                // 3: explicit default port on one side only
                Arguments.of("GET http://app.test:80/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 200,
                        "GET /x HTTP/1.1", "app.test"),
                // 4: the same non-default port on both sides (the gateway's own)
                Arguments.of("GET http://app.test:@PORT@/x HTTP/1.1\r\nHost: app.test:@PORT@\r\n\r\n", 200,
                        "GET /x HTTP/1.1", "app.test:@PORT@"),
                // 5: HTTP/1.0 without Host takes the absolute-form authority; forwarded as HTTP/1.1 with Host
                Arguments.of("GET http://APP.test/x HTTP/1.0\r\n\r\n", 200, "GET /x HTTP/1.1", "app.test"),
                // 6: absolute-form naming another host than Host: policy and upstream could disagree
                Arguments.of("GET http://evil.test/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 7: the reverse: the target names the routed host, Host another
                Arguments.of("GET http://app.test/x HTTP/1.1\r\nHost: evil.test\r\n\r\n", 400, null, null),
                // 8: another port
                Arguments.of("GET http://app.test:8080/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 9: another scheme than the connection's
                Arguments.of("GET https://app.test/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 10: userinfo in the target authority
                Arguments.of("GET http://app.test@evil.test/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 11: userinfo the other way round
                Arguments.of("GET http://evil.test@app.test/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 12: a foreign absolute URL with a matching Host: no route, never forwarded
                Arguments.of("GET http://evil.test/x HTTP/1.1\r\nHost: evil.test\r\n\r\n", 404, null, null),
                // 13: the same on HTTP/1.0 without Host
                Arguments.of("GET http://evil.test/x HTTP/1.0\r\n\r\n", 404, null, null),
                // 14: the upstream itself by address (SSRF through the gateway): its port is none the gateway serves
                Arguments.of("GET http://@UPSTREAM@/x HTTP/1.1\r\nHost: @UPSTREAM@\r\n\r\n", 400, null, null),
                // 15: an IPv6 literal without a route
                Arguments.of("GET http://[::1]/x HTTP/1.1\r\nHost: [::1]\r\n\r\n", 404, null, null),
                // 16: CONNECT to the routed host: the gateway is not a tunnel
                Arguments.of("CONNECT app.test:80 HTTP/1.1\r\nHost: app.test:80\r\n\r\n", 405, null, null),
                // 17: CONNECT to a foreign host
                Arguments.of("CONNECT evil.test:443 HTTP/1.1\r\nHost: evil.test:443\r\n\r\n", 405, null, null),
                // 18: CONNECT to the upstream's address
                Arguments.of("CONNECT @UPSTREAM@ HTTP/1.1\r\nHost: @UPSTREAM@\r\n\r\n", 405, null, null),
                // 19: authority-form with another method
                Arguments.of("GET app.test:80 HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 20: asterisk-form
                Arguments.of("OPTIONS * HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 21: a scheme other than http(s)
                Arguments.of("GET ftp://app.test/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 22: a malformed absolute URL
                Arguments.of("GET http:/app.test/x HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null),
                // 23: TRACE would echo the gateway's headers back (XST)
                Arguments.of("TRACE /x HTTP/1.1\r\nHost: app.test\r\n\r\n", 405, null, null),
                // 24: IIS's TRACK
                Arguments.of("TRACK /x HTTP/1.1\r\nHost: app.test\r\n\r\n", 405, null, null),
                // 25: a lower-case method: some frameworks compare case-insensitively
                Arguments.of("get /x HTTP/1.1\r\nHost: app.test\r\n\r\n", 400, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void requestTargetFormsAreForwardedAsOriginFormOrRefused(String template, int status, String forwardedLine,
                                                             String forwardedHost) throws Exception {
        String request = template.replace("@UPSTREAM@", "127.0.0.1:" + gateway.upstream().port())
                .replace("@PORT@", Integer.toString(gateway.port()));

        RawResponse response = RawHttpClient.exchange(gateway.port(), request);

        assertThat(response.status()).isEqualTo(status);
        if (forwardedLine == null) {
            Sentinel.send(gateway.port());
            Sentinel.assertOnlySentinelReached(gateway.upstream());
            return;
        }
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo(forwardedLine);
        assertThat(received.headers("Host"))
                .containsExactly(forwardedHost.replace("@PORT@", Integer.toString(gateway.port())));
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    /** Host framing errors: refused by the decoder, which closes. */
    static Stream<Arguments> hostFraming() {
        return Stream.of(
                // 1: HTTP/1.1 without Host
                Arguments.of("GET /x HTTP/1.1\r\n\r\n"),
                // 2: two Host fields naming different hosts
                Arguments.of("GET /x HTTP/1.1\r\nHost: app.test\r\nHost: evil.test\r\n\r\n"),
                // 3: two Host fields, differently spelt
                Arguments.of("GET /x HTTP/1.1\r\nhost: evil.test\r\nHOST: app.test\r\n\r\n"),
                // 4: HTTP/1.0 with two Host fields
                Arguments.of("GET /x HTTP/1.0\r\nHost: app.test\r\nHost: evil.test\r\n\r\n"),
                // 5: whitespace before the colon of Host
                Arguments.of("GET /x HTTP/1.1\r\nHost : evil.test\r\nHost: app.test\r\n\r\n"),
                // 6: a folded Host
                Arguments.of("GET /x HTTP/1.1\r\nHost: app.test\r\n evil.test\r\n\r\n"));
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("hostFraming")
    void ambiguousHostFieldIsRefusedAndClosed(String request) throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(request + Sentinel.REQUEST.replace("sentinel", "after"));
            assertThat(client.readResponse(WAIT).status()).isEqualTo(400);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        Sentinel.send(gateway.port());

        Sentinel.assertOnlySentinelReached(gateway.upstream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("http10WithoutHost")
    void http10OriginFormWithoutHostIsRefused(String request) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(), request);
        assertThat(response.status()).isEqualTo(400);
        Sentinel.send(gateway.port());
        Sentinel.assertOnlySentinelReached(gateway.upstream());
    }

    static Stream<String> http10WithoutHost() {
        // Nothing names a host: there is nothing to route on.
        return Stream.of("GET /x HTTP/1.0\r\n\r\n", "GET /x HTTP/1.0\r\nX-Forwarded-Host: app.test\r\n\r\n");
    }
}
