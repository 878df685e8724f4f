package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * SECURITY-RULES 6, 7 and 8 end to end: identity and override headers a client writes never reach the upstream in
 * any spelling; the gateway's own forwarding headers are the only ones there; {@code Connection} is processed first
 * and may not name protected headers; hop-by-hop headers are dropped in both directions. Every test checks what the
 * echo upstream actually recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class HeaderSpoofingTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);
    /** Every spoofed value carries this marker, so any copy that slipped through shows up in the upstream's head. */
    private static final String MARKER = "spoofed-by-client";

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.SIMPLE_BYPASS_ALL);

    static Stream<Arguments> spoofedHeaders() {
        return Stream.of(
                // Apache/Authelia identity header, canonical case
                Arguments.of("Remote-User", "Remote-User: admin-" + MARKER),
                // same name in lower case
                Arguments.of("Remote-User", "remote-user: admin-" + MARKER),
                // CGI/PHP spelling: '_' for '-', upper case (HTTP_REMOTE_USER after CGI mapping)
                Arguments.of("Remote-User", "REMOTE_USER: admin-" + MARKER),
                // another token character in place of '-', read as '-' by lenient frameworks
                Arguments.of("Remote-User", "Remote.User: admin-" + MARKER),
                // oauth2-proxy identity header, twice: every duplicate must go
                Arguments.of("X-Forwarded-User",
                        "X-Forwarded-User: admin-" + MARKER + "\r\nX-Forwarded-User: root-" + MARKER),
                // nginx auth_request style
                Arguments.of("X-Remote-User", "X-Remote-User: admin-" + MARKER),
                // the gateway's own prefix
                Arguments.of("X-Portcullis-User", "X-Portcullis-User: admin-" + MARKER),
                // the gateway's own prefix, odd spelling
                Arguments.of("X-Portcullis-User", "x_portcullis_user: admin-" + MARKER),
                // groups header (authorisation by group in the upstream)
                Arguments.of("Remote-Groups", "Remote-Groups: admins-" + MARKER),
                // IIS URL Rewrite / Symfony path override (CVE-2018-14773)
                Arguments.of("X-Original-URL", "X-Original-URL: /admin?" + MARKER),
                // the other Symfony path override
                Arguments.of("X-Rewrite-URL", "X-Rewrite-URL: /admin?" + MARKER),
                // method override: a GET turned into a DELETE by the framework
                Arguments.of("X-HTTP-Method-Override", "X-HTTP-Method-Override: DELETE-" + MARKER),
                // prefix override used by Spring/Traefik to build links and redirects
                Arguments.of("X-Forwarded-Prefix", "X-Forwarded-Prefix: /" + MARKER),
                // host override: password-reset poisoning, cache poisoning
                Arguments.of("X-Forwarded-Host", "X-Forwarded-Host: evil-" + MARKER),
                // RFC 7239 client address from an untrusted peer
                Arguments.of("Forwarded", "Forwarded: for=1.2.3.4;by=" + MARKER),
                // nginx real_ip from an untrusted peer
                Arguments.of("X-Real-IP", "X-Real-IP: 1.2.3.4-" + MARKER),
                // client address chain from an untrusted peer
                Arguments.of("X-Forwarded-For", "X-Forwarded-For: 1.2.3.4, " + MARKER),
                // scheme override from an untrusted peer
                Arguments.of("X-Forwarded-Proto", "X_Forwarded_Proto: https-" + MARKER));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("spoofedHeaders")
    void clientCopiesNeverReachTheUpstream(String canonicalName, String headerLines) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /spoof HTTP/1.1\r\nHost: app.test\r\n" + headerLines + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /spoof HTTP/1.1");
        assertThat(received.head()).doesNotContain(MARKER);
        if (!isGatewayForwardingHeader(canonicalName)) {
            assertThat(namesIn(received)).doesNotContain(normalize(canonicalName));
        }
        assertGatewayForwardingHeaders(received, "127.0.0.1", "http", "app.test");
    }

    @Test
    void allSpoofedHeadersTogetherLeaveOnlyTheGatewaysOwn() throws Exception {
        String spoofed = String.join("\r\n",
                "Remote-User: admin", "remote-user: admin", "REMOTE_USER: admin",
                "X-Forwarded-User: admin", "X-Forwarded-User: root", "X-Remote-User: admin",
                "X-Portcullis-User: admin", "X-Original-URL: /admin", "X-Rewrite-URL: /admin",
                "X-HTTP-Method-Override: DELETE", "X-Forwarded-Prefix: /admin", "X-Forwarded-Host: evil",
                "Forwarded: for=1.2.3.4", "X-Real-IP: 1.2.3.4", "X-Forwarded-For: 1.2.3.4",
                "X-Forwarded-Proto: https");

        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /all HTTP/1.1\r\nHost: app.test\r\n" + spoofed + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        // The override headers changed neither the method nor the path the upstream acts on.
        assertThat(received.requestLine()).isEqualTo("GET /all HTTP/1.1");
        assertThat(namesIn(received)).doesNotContain(
                "remote-user", "x-forwarded-user", "x-remote-user", "x-portcullis-user", "x-original-url",
                "x-rewrite-url", "x-http-method-override", "x-forwarded-prefix", "x-real-ip");
        assertThat(received.head()).doesNotContain("admin", "evil", "1.2.3.4", "DELETE", "https");
        assertGatewayForwardingHeaders(received, "127.0.0.1", "http", "app.test");
    }

    @Test
    void hostWithPortIsQuotedInForwardedAndKeptInXForwardedHost() throws Exception {
        int port = gateway.port();
        RawResponse response = RawHttpClient.exchange(port,
                "GET /p HTTP/1.1\r\nHost: App.Test.:" + port + "\r\nX-Forwarded-Host: evil\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.headers("Host")).containsExactly("app.test:" + port);
        assertGatewayForwardingHeaders(received, "127.0.0.1", "http", "app.test:" + port);
    }

    // ---- Connection and hop-by-hop (SECURITY-RULES 7) ----

    @Test
    void connectionOptionRemovesTheHeaderItNames() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /hop HTTP/1.1\r\nHost: app.test\r\nConnection: close, X-Foo\r\nX-Foo: 1\r\nX-Bar: 2\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.headers("X-Foo")).isEmpty();
        assertThat(received.headers("X-Bar")).containsExactly("2");
        // The client's Connection field itself is hop-by-hop too: its options never reach the upstream.
        assertThat(String.join(",", received.headers("Connection")).toLowerCase(Locale.ROOT)).doesNotContain("x-foo");
    }

    @ParameterizedTest(name = "Connection: {0}")
    @ValueSource(strings = {
        "Cookie",               // would strip the user's cookies upstream of a later proxy
        "X-Forwarded-For",      // would strip the address the gateway adds
        "Host",                 // would strip the Host the policy decided on
        "Content-Length",       // would strip framing: request smuggling
        "Transfer-Encoding",    // framing again
        "Authorization",        // credentials of legacy NTLM/Basic upstreams
        "close, Remote-User",   // an identity header, after a harmless option
        "X-Portcullis-User",    // the gateway's own prefix
        "x_forwarded_host"      // forwarding header in CGI spelling
    })
    void connectionNamingAProtectedHeaderIsRefused(String options) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /protected HTTP/1.1\r\nHost: app.test\r\nConnection: " + options
                        + "\r\nCookie: a=b\r\nAuthorization: Basic Zm9vOmJhcg==\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(gateway.upstream().takeRequest(NOTHING)).isNull();
    }

    static Stream<Arguments> hopByHopRequestHeaders() {
        return Stream.of(
                // HTTP/1.0 persistence parameters describe the client's connection only
                Arguments.of("Keep-Alive", "Keep-Alive: timeout=5, max=1000"),
                // transfer codings the client accepts, for this hop only
                Arguments.of("TE", "TE: trailers"),
                // trailer announcement for a body this hop frames
                Arguments.of("Trailer", "Trailer: X-Checksum"),
                // the non-standard Proxy-Connection
                Arguments.of("Proxy-Connection", "Proxy-Connection: keep-alive"),
                // credentials for the gateway as a proxy, never for the application
                Arguments.of("Proxy-Authorization", "Proxy-Authorization: Basic dXNlcjpwYXNz"),
                // the reserved field name Close (RFC 9110 §18.4)
                Arguments.of("Close", "Close: 1"),
                // an h2c upgrade request's settings without the Upgrade
                Arguments.of("HTTP2-Settings", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"),
                // WebSocket handshake fields on a request that is not an upgrade
                Arguments.of("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("hopByHopRequestHeaders")
    void hopByHopRequestHeadersNeverReachTheUpstream(String name, String line) throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /hop-by-hop HTTP/1.1\r\nHost: app.test\r\n" + line + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(namesIn(received)).doesNotContain(normalize(name));
    }

    @Test
    void hopByHopResponseHeadersFromTheUpstreamNeverReachTheClient() throws Exception {
        RawResponse response = RawHttpClient.exchange(gateway.port(),
                "GET /response-headers?Connection=X-Secret&X-Secret=1&Keep-Alive=timeout%3D5"
                        + "&Proxy-Connection=keep-alive&Trailer=X-Sum&X-Kept=yes HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers("X-Secret")).isEmpty();
        assertThat(response.headers("Keep-Alive")).isEmpty();
        assertThat(response.headers("Proxy-Connection")).isEmpty();
        assertThat(response.headers("Trailer")).isEmpty();
        assertThat(response.headers("Connection")).allSatisfy(value ->
                assertThat(value.toLowerCase(Locale.ROOT)).doesNotContain("x-secret"));
        // End-to-end headers still arrive.
        assertThat(response.headers("X-Kept")).containsExactly("yes");
    }

    private static boolean isGatewayForwardingHeader(String name) {
        return List.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded")
                .contains(normalize(name));
    }

    /** Exactly one of each of the gateway's forwarding headers, with the values of the connection. */
    static void assertGatewayForwardingHeaders(RecordedRequest received, String client, String scheme,
            String authority) {
        assertThat(headersNamed(received, "X-Forwarded-For")).containsExactly(client);
        assertThat(headersNamed(received, "X-Forwarded-Proto")).containsExactly(scheme);
        assertThat(headersNamed(received, "X-Forwarded-Host")).containsExactly(authority);
        assertThat(headersNamed(received, "Forwarded"))
                .containsExactly("for=" + client + ";proto=" + scheme + ";host="
                        + (authority.contains(":") ? "\"" + authority + "\"" : authority));
    }

    /** Values of every field whose name is {@code name} in any case and with any non-alphanumeric for '-'. */
    static List<String> headersNamed(RecordedRequest received, String name) {
        String wanted = normalize(name);
        return received.headers().stream()
                .filter(field -> normalize(field.getKey()).equals(wanted))
                .map(Map.Entry::getValue)
                .toList();
    }

    static List<String> namesIn(RecordedRequest received) {
        return received.headers().stream().map(field -> normalize(field.getKey())).toList();
    }

    /** Lower case, every non-alphanumeric character read as '-': how CGI, PHP and many frameworks compare names. */
    static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append(Character.isLetterOrDigit(c) ? c : '-');
        }
        return out.toString();
    }
}
