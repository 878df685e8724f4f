package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OriginCheckTest {

    private static CanonicalRequest request(boolean tls, String host, int port, String... origins) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String origin : origins) {
            headers.add("Origin", origin);
        }
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
        return new CanonicalRequest("GET", tls, host, port, "/ws", null, HttpVersion.HTTP_1_1, headers, peer,
                peer.getAddress(), true);
    }

    static Stream<Arguments> sameOrigin() {
        return Stream.of(
                arguments(request(true, "app.example.org", 443, "https://app.example.org"), true),      // same origin
                arguments(request(true, "app.example.org", 443, "HTTPS://APP.example.org."), true),    // canonical compare
                arguments(request(true, "app.example.org", 443, "https://app.example.org:443"), true), // explicit default port
                arguments(request(true, "app.example.org", 8443, "https://app.example.org:8443"), true), // same non-default port
                arguments(request(true, "::1", 443, "https://[::1]"), true),                            // IPv6 origin
                arguments(request(true, "app.example.org", 443, "http://app.example.org"), false),     // other scheme
                arguments(request(true, "app.example.org", 443, "https://evil.example.org"), false),   // other host
                arguments(request(true, "app.example.org", 443, "https://app.example.org:8443"), false), // other port
                arguments(request(true, "app.example.org", 443, "https://app.example.org.evil.org"), false), // suffix trick
                arguments(request(true, "app.example.org", 443, "https://app.example.org/"), false),   // path in origin
                arguments(request(true, "app.example.org", 443, "null"), false),                      // opaque origin
                arguments(request(true, "app.example.org", 443), false),                              // missing Origin
                arguments(request(true, "app.example.org", 443, "https://app.example.org",
                        "https://app.example.org"), false));                                           // two Origin fields
    }

    @ParameterizedTest
    @MethodSource("sameOrigin")
    void withoutListOnlyTheRequestsOwnOriginIsAllowed(CanonicalRequest request, boolean allowed) {
        assertThat(new OriginCheck(List.of()).allows(request)).isEqualTo(allowed);
    }

    @Test
    void withListOnlyListedOriginsAreAllowed() {
        OriginCheck check = new OriginCheck(List.of("https://portal.example.org", "http://legacy.local:8080"));
        assertThat(check.allows(request(true, "app.example.org", 443, "https://Portal.example.org"))).isTrue();
        assertThat(check.allows(request(true, "app.example.org", 443, "http://legacy.local:8080"))).isTrue();
        assertThat(check.allows(request(true, "app.example.org", 443, "https://app.example.org"))).isFalse();
        assertThat(check.allows(request(true, "app.example.org", 443, "http://legacy.local"))).isFalse();
    }

    @Test
    void refusalCarriesTheOriginReason() {
        assertThatThrownBy(() -> new OriginCheck(List.of())
                .rejectForeignOrigin(request(true, "a.example", 443, "https://b.example")))
                .isInstanceOfSatisfying(IngressRejection.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.WEBSOCKET_ORIGIN_REFUSED);
                    assertThat(e.reason().status()).isEqualTo(403);
                });
    }

    @Test
    void refusesInvalidConfiguredOrigin() {
        assertThatThrownBy(() -> new OriginCheck(List.of("ftp://x.example")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
