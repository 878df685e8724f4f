package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.config.Cidr;

class RequestCanonicalizerTest {
    private static final List<Cidr> TRUSTED = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
    private final RequestCanonicalizer canonicalizer = new RequestCanonicalizer(List.of("X-Employee-Id"));

    private static HttpRequest request(String method, String uri, HttpVersion version, String... nameValues) {
        // no validation of headers or target: the test plays a decoder that may pass on anything
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.valueOf(method), "/",
                DefaultHttpHeadersFactory.headersFactory().withValidation(false)) {
            @Override
            public String uri() {
                return uri;
            }
        };
        for (int i = 0; i < nameValues.length; i += 2) {
            request.headers().add(nameValues[i], nameValues[i + 1]);
        }
        return request;
    }

    private static HttpRequest get(String uri, String... nameValues) {
        return request("GET", uri, HttpVersion.HTTP_1_1, nameValues);
    }

    private static ConnectionInfo connection(String peer, boolean tls) {
        InetAddress address = ClientAddressResolver.parseEntry(peer, 0, peer.length());
        return new ConnectionInfo(new InetSocketAddress(address, 40000), tls, tls ? 443 : 80, TRUSTED);
    }

    private CanonicalRequest accept(HttpRequest request, ConnectionInfo connection) {
        RequestCanonicalizer.Result result = canonicalizer.canonicalize(request, connection);
        assertThat(result).isInstanceOf(RequestCanonicalizer.Result.Accepted.class);
        return ((RequestCanonicalizer.Result.Accepted) result).request();
    }

    private RejectReason reject(HttpRequest request, ConnectionInfo connection) {
        RequestCanonicalizer.Result result = canonicalizer.canonicalize(request, connection);
        assertThat(result).isInstanceOf(RequestCanonicalizer.Result.Rejected.class);
        return ((RequestCanonicalizer.Result.Rejected) result).rejection().reason();
    }

    @Test
    void buildsOneCanonicalRequestAndItsForwardedHeaders() {
        CanonicalRequest canonical = accept(get("/app/%2e%2e/Admin%20Page/?q=%2F..&x=1",
                        "Host", "Portal.Example.ORG.", "Remote-User", "admin", "X-Forwarded-For", "6.6.6.6",
                        "Accept", "text/html", "Connection", "keep-alive"),
                connection("203.0.113.9", true));

        assertThat(canonical.method()).isEqualTo("GET");
        assertThat(canonical.host()).isEqualTo("portal.example.org");
        assertThat(canonical.port()).isEqualTo(443);
        assertThat(canonical.path()).isEqualTo("/Admin Page/");
        assertThat(canonical.query()).isEqualTo("q=%2F..&x=1");
        assertThat(canonical.forwardTarget()).isEqualTo("/Admin%20Page/?q=%2F..&x=1");
        assertThat(canonical.clientAddress().getHostAddress()).isEqualTo("203.0.113.9");
        assertThat(canonical.websocketUpgrade()).isFalse();

        HttpHeaders forwarded = canonical.headers();
        assertThat(forwarded.getAll("Host")).containsExactly("portal.example.org");
        assertThat(forwarded.getAll("X-Forwarded-For")).containsExactly("203.0.113.9");
        assertThat(forwarded.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(forwarded.get("X-Forwarded-Host")).isEqualTo("portal.example.org");
        assertThat(forwarded.getAll("Forwarded"))
                .containsExactly("for=203.0.113.9;proto=https;host=portal.example.org");
        assertThat(forwarded.contains("Remote-User")).isFalse();
        assertThat(forwarded.contains("Connection")).isFalse();
        assertThat(forwarded.get("Accept")).isEqualTo("text/html");
    }

    @Test
    void forwardedPathCanonicalisesToThePolicyPath() throws IngressRejection {
        CanonicalRequest canonical = accept(get("/a/./b/../%3Fc%23d", "Host", "h.example"),
                connection("203.0.113.9", false));
        String forwardedPath = canonical.forwardTarget();
        assertThat(forwardedPath).isEqualTo("/a/%3Fc%23d");
        assertThat(PathCanonicalizer.canonicalize(forwardedPath)).isEqualTo(canonical.path());
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                // framing, checked again on the parsed head
                arguments(get("/", "Host", "a.example", "Content-Length", "5", "Transfer-Encoding", "chunked"),
                        RejectReason.CONTENT_LENGTH_AND_TRANSFER_ENCODING),                      // CL.TE smuggling
                arguments(get("/", "Host", "a.example", "Transfer-Encoding", "gzip, chunked"),
                        RejectReason.UNSUPPORTED_TRANSFER_ENCODING),                             // TE not exactly chunked
                arguments(get("/", "Host", "a.example", "Transfer-Encoding", "chunked",
                        "Transfer-Encoding", "chunked"), RejectReason.UNSUPPORTED_TRANSFER_ENCODING), // two TE fields
                arguments(request("POST", "/", HttpVersion.HTTP_1_0, "Host", "a.example",
                        "Transfer-Encoding", "chunked"), RejectReason.UNSUPPORTED_TRANSFER_ENCODING), // TE on HTTP/1.0
                arguments(get("/", "Host", "a.example", "Content-Length", "5", "Content-Length", "5"),
                        RejectReason.MULTIPLE_CONTENT_LENGTH),                                   // duplicate CL
                arguments(get("/", "Host", "a.example", "Content-Length", "+5"),
                        RejectReason.INVALID_CONTENT_LENGTH),                                    // signed CL
                arguments(get("/"), RejectReason.MISSING_HOST),                                  // HTTP/1.1 without Host
                arguments(get("/", "Host", "a.example", "Host", "b.example"), RejectReason.MULTIPLE_HOST), // two Hosts
                arguments(request("GET", "/", new HttpVersion("HTTP/1.2", true), "Host", "a.example"),
                        RejectReason.UNSUPPORTED_HTTP_VERSION),                                  // unknown version
                arguments(request("GET", "/", HttpVersion.HTTP_1_0), RejectReason.MISSING_HOST), // 1.0, no host at all
                // method and target
                arguments(request("CONNECT", "a.example:443", HttpVersion.HTTP_1_1, "Host", "a.example:443"),
                        RejectReason.CONNECT_METHOD),                                            // never a tunnel
                arguments(request("TRACE", "/", HttpVersion.HTTP_1_1, "Host", "a.example"),
                        RejectReason.TRACE_METHOD),                                              // cross-site tracing
                arguments(request("OPTIONS", "*", HttpVersion.HTTP_1_1, "Host", "a.example"),
                        RejectReason.INVALID_TARGET),                                            // asterisk-form
                arguments(get("http://evil.example/", "Host", "a.example"),
                        RejectReason.ABSOLUTE_FORM_HOST_MISMATCH),                               // forward-proxy attempt
                arguments(get("http://a.example:8080/", "Host", "a.example"),
                        RejectReason.ABSOLUTE_FORM_HOST_MISMATCH),                               // other port
                arguments(get("https://a.example/", "Host", "a.example"),
                        RejectReason.ABSOLUTE_FORM_HOST_MISMATCH),                               // other scheme than the connection
                arguments(get("http://user@a.example/", "Host", "a.example"), RejectReason.INVALID_HOST), // userinfo
                arguments(get("/a;x", "Host", "a.example"), RejectReason.PATH_PARAMETER),        // path rule via the facade
                arguments(get("/..", "Host", "a.example"), RejectReason.PATH_ABOVE_ROOT),        // traversal via the facade
                arguments(get("/", "Host", "a.example:0"), RejectReason.INVALID_HOST),           // port 0
                arguments(get("/", "Host", ""), RejectReason.INVALID_HOST),                      // empty Host
                // headers
                arguments(get("/", "Host", "a.example", "Connection", "Cookie"),
                        RejectReason.CONNECTION_NAMES_PROTECTED_HEADER),                         // Connection: Cookie
                arguments(get("/", "Host", "a.example", "Connection", "X-Forwarded-For"),
                        RejectReason.CONNECTION_NAMES_PROTECTED_HEADER),                         // Connection: X-Forwarded-For
                arguments(get("/", "Host", "a.example", "Connection", "Upgrade", "Upgrade", "websocket"),
                        RejectReason.INVALID_WEBSOCKET_UPGRADE),                                 // handshake without key
                arguments(get("/", "Host", "a.example", "Accept", "a\r\nX-Injected: 1"),
                        RejectReason.CONTROL_CHAR_IN_HEADER));                                   // value a decoder should never pass: fails closed
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejects(HttpRequest request, RejectReason reason) {
        assertThat(reject(request, connection("203.0.113.9", false))).isEqualTo(reason);
    }

    @Test
    void acceptsAbsoluteFormNamingTheHostHeadersOrigin() {
        CanonicalRequest canonical = accept(get("HTTP://A.example:80/x?y", "Host", "a.example"),
                connection("203.0.113.9", false));
        assertThat(canonical.host()).isEqualTo("a.example");
        assertThat(canonical.forwardTarget()).isEqualTo("/x?y");
        assertThat(canonical.headers().get("Host")).isEqualTo("a.example");
    }

    @Test
    void http10WithoutHostTakesTheAbsoluteFormAuthority() {
        CanonicalRequest canonical = accept(request("GET", "http://a.example:8080/", HttpVersion.HTTP_1_0),
                connection("203.0.113.9", false));
        assertThat(canonical.authority()).isEqualTo("a.example:8080");
        assertThat(canonical.headers().get("Host")).isEqualTo("a.example:8080");
    }

    @Test
    void untrustedPeerCannotSpoofItsAddressOrScheme() {
        CanonicalRequest canonical = accept(get("/", "Host", "a.example", "X-Forwarded-For", "10.0.0.5",
                        "X-Forwarded-Proto", "https", "X-Real-IP", "10.0.0.5", "Forwarded", "for=10.0.0.5"),
                connection("203.0.113.9", false));
        assertThat(canonical.clientAddress().getHostAddress()).isEqualTo("203.0.113.9");
        assertThat(canonical.tls()).isFalse();
        assertThat(canonical.headers().getAll("X-Forwarded-For")).containsExactly("203.0.113.9");
        assertThat(canonical.headers().getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(canonical.headers().getAll("Forwarded"))
                .containsExactly("for=203.0.113.9;proto=http;host=a.example");
        assertThat(canonical.headers().contains("X-Real-IP")).isFalse();
    }

    @Test
    void trustedProxyChainIsBelievedUpToTheRightMostUntrustedAddress() {
        CanonicalRequest canonical = accept(get("/", "Host", "a.example", "X-Forwarded-For",
                        "6.6.6.6, 2001:db8::7", "X-Forwarded-For", "fd00::2", "X-Forwarded-Proto", "https"),
                connection("fd00::1", false));
        assertThat(canonical.clientAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(canonical.tls()).isTrue();
        assertThat(canonical.port()).isEqualTo(443);
        assertThat(canonical.headers().getAll("X-Forwarded-For"))
                .containsExactly("2001:db8::7, fd00::2, fd00::1");
        assertThat(canonical.headers().getAll("Forwarded"))
                .containsExactly("for=\"[2001:db8::7]\";proto=https;host=a.example");
    }

    @Test
    void nonDefaultPortIsQuotedInForwarded() {
        CanonicalRequest canonical = accept(get("/", "Host", "a.example:8443"), connection("198.51.100.1", true));
        assertThat(canonical.headers().get("X-Forwarded-Host")).isEqualTo("a.example:8443");
        assertThat(canonical.headers().get("Forwarded"))
                .isEqualTo("for=198.51.100.1;proto=https;host=\"a.example:8443\"");
    }

    @Test
    void websocketUpgradeIsMarkedAndKept() {
        CanonicalRequest canonical = accept(get("/ws", "Host", "a.example", "Connection", "Upgrade",
                        "Upgrade", "websocket", "Sec-WebSocket-Version", "13",
                        "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Origin", "https://a.example"),
                connection("198.51.100.1", true));
        assertThat(canonical.websocketUpgrade()).isTrue();
        assertThat(canonical.headers().get("Upgrade")).isEqualTo("websocket");
        assertThat(new OriginCheck(List.of()).allows(canonical)).isTrue();
    }

    @Test
    void h2cUpgradeGoesOnAsPlainHttp11() {
        CanonicalRequest canonical = accept(get("/", "Host", "a.example", "Connection", "Upgrade, HTTP2-Settings",
                "Upgrade", "h2c", "HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"), connection("198.51.100.1", false));
        assertThat(canonical.websocketUpgrade()).isFalse();
        assertThat(canonical.headers().contains("Upgrade")).isFalse();
        assertThat(canonical.headers().contains("HTTP2-Settings")).isFalse();
        assertThat(canonical.headers().contains("Connection")).isFalse();
    }

    @Test
    void requestTheDecoderRefusedIsRefused() {
        HttpRequest request = get("/", "Host", "a.example");
        request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad")));
        assertThat(reject(request, connection("198.51.100.1", false)))
                .isEqualTo(RejectReason.MALFORMED_REQUEST_LINE);
    }

    @Test
    void neverThrowsOnArbitraryInput() {
        SplittableRandom random = new SplittableRandom(7L);
        int accepted = 0;
        String alphabet = "/.%2eEfF5cC;#?\\:@[]aZ09 \u0000\u00e9-_,";
        for (int n = 0; n < 5_000; n++) {
            String uri = randomString(random, alphabet, 12);
            String host = randomString(random, alphabet, 8);
            HttpRequest request = get(uri.isEmpty() ? "/" : uri, "Host", host,
                    "X-Forwarded-For", randomString(random, alphabet, 10),
                    "Connection", randomString(random, alphabet, 6));
            RequestCanonicalizer.Result result = canonicalizer.canonicalize(request,
                    connection(random.nextBoolean() ? "10.0.0.1" : "198.51.100.1", random.nextBoolean()));
            assertThat(result).isNotNull();
            if (result instanceof RequestCanonicalizer.Result.Accepted a) {
                accepted++;
                CanonicalRequest canonical = a.request();
                assertThat(canonical.path()).startsWith("/").doesNotContain("//", "/../", "/./", "%", ";", "\\");
            }
        }
        assertThat(accepted).as("some random requests are accepted").isPositive();
    }

    private static String randomString(SplittableRandom random, String alphabet, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
