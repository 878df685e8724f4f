package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderSanitizerTest {
    private final HeaderSanitizer sanitizer = new HeaderSanitizer(List.of("X-Employee-Id"));

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    private HttpHeaders sanitize(HttpHeaders client) throws IngressRejection {
        return sanitizer.sanitize("GET", HttpVersion.HTTP_1_1, client).headers();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "Remote-User",               // identity header, usual spelling
            "remote-user",               // lower case
            "REMOTE-USER",               // upper case
            "Remote_User",               // underscore for hyphen (CGI/PHP read it as REMOTE_USER)
            "remote_user",               // underscore, lower case
            "Remote.User",               // other odd tchar for hyphen
            "X-Forwarded-User",          // oauth2-proxy style
            "X_Forwarded_Email",         // underscored
            "X-Auth-Request-User",       // nginx auth_request style
            "X-Remote-User",             // Apache style
            "Remote-Groups",             // groups
            "X-Portcullis-User",         // gateway prefix
            "x-portcullis-anything-else",// any gateway-prefixed name
            "X_PORTCULLIS_Session",      // gateway prefix, underscored
            "X-Employee-Id",             // configured extra identity name
            "x_employee_id",             // configured extra, underscored
            "X-Original-URL",            // IIS URL Rewrite override
            "X-Rewrite-URL",             // override
            "X-Original-URI",            // override
            "X-Forwarded-Prefix",        // override
            "X-Forwarded-Uri",           // override
            "X-Forwarded-Path",          // override
            "X-HTTP-Method-Override",    // method override
            "X-HTTP-Method",             // method override
            "X-Method-Override",         // method override
            "X-Forwarded-Server",        // override
            "X-Host",                    // host override
            "X-Forwarded-Port",          // port override
            "X-Forwarded-Scheme",        // scheme override
            "X-Real-IP",                 // address spoofing
            "X-Client-IP",               // address spoofing
            "True-Client-IP",            // address spoofing
            "CF-Connecting-IP",          // address spoofing
            "Forwarded",                 // rewritten by the gateway
            "X-Forwarded-For",           // rewritten by the gateway
            "x_forwarded_for",           // underscored
            "X-Forwarded-Proto",         // rewritten by the gateway
            "X-Forwarded-Host",          // rewritten by the gateway
            "Keep-Alive",                // hop-by-hop
            "Proxy-Connection",          // hop-by-hop
            "TE",                        // hop-by-hop
            "Trailer",                   // hop-by-hop
            "Proxy-Authorization",       // hop-by-hop credential for the gateway, not the upstream
            "Proxy-Authenticate",        // hop-by-hop
            "HTTP2-Settings",            // h2c upgrade
            "Host",                      // the facade sets the canonical one
            "Sec-WebSocket-Key",         // not an upgrade: handshake headers removed
            "Content_Length",            // framing look-alike a CGI upstream could read as Content-Length
            "Transfer_Encoding",         // hop-by-hop look-alike
    })
    void stripsHeaderInEverySpelling(String name) throws IngressRejection {
        HttpHeaders out = sanitize(headers(name, "spoofed", "Accept", "text/html"));
        assertThat(out.names()).containsExactly("Accept");
    }

    @Test
    void stripsEveryDuplicate() throws IngressRejection {
        HttpHeaders out = sanitize(headers("Remote-User", "a", "remote-user", "b", "Remote_User", "c",
                "X-Forwarded-For", "1.1.1.1", "X-Forwarded-For", "2.2.2.2", "User-Agent", "ua"));
        assertThat(out.names()).containsExactly("User-Agent");
    }

    @Test
    void keepsEndToEndHeadersInOrder() throws IngressRejection {
        HttpHeaders out = sanitize(headers("Accept", "*/*", "Cookie", "a=1", "Authorization", "Negotiate x",
                "Expect", "100-continue", "Content-Length", "5", "Origin", "https://a", "Cookie", "b=2"));
        assertThat(out.names()).containsExactlyInAnyOrder("Accept", "Cookie", "Authorization", "Expect",
                "Content-Length", "Origin");
        assertThat(out.getAll("Cookie")).containsExactly("a=1", "b=2");
        assertThat(out.get("Expect")).isEqualTo("100-continue");
    }

    @Test
    void removesHeadersNamedByConnection() throws IngressRejection {
        HttpHeaders out = sanitize(headers("Connection", "close, X-Debug", "connection", "x_trace\t, ,",
                "X-Debug", "1", "X-Trace", "2", "Accept", "*/*"));
        assertThat(out.names()).containsExactly("Accept");
    }

    @Test
    void connectionCloseIsRemovedAndNothingElse() throws IngressRejection {
        HttpHeaders out = sanitize(headers("Connection", "close", "Accept", "*/*"));
        assertThat(out.names()).containsExactly("Accept");
    }

    static Stream<Arguments> protectedConnectionOptions() {
        return Stream.of(
                arguments("Cookie"),                 // would drop the session cookie the policy saw
                arguments("Authorization"),          // credentials
                arguments("Host"),                   // the host the policy decided on
                arguments("Content-Length"),         // framing: smuggling
                arguments("transfer-encoding"),      // framing: smuggling
                arguments("Transfer_Encoding"),      // underscored framing header
                arguments("X-Forwarded-For"),        // gateway's forwarding header
                arguments("X-Forwarded-Anything"),   // any X-Forwarded-*
                arguments("Forwarded"),              // RFC 7239
                arguments("X-Real-IP"),              // address
                arguments("Remote-User"),            // identity
                arguments("remote_user"),            // identity, underscored
                arguments("X-Portcullis-User"),      // gateway prefix
                arguments("X-Employee-Id"),          // configured identity
                arguments("keep-alive, Cookie"));    // protected name after a harmless one
    }

    @ParameterizedTest(name = "Connection: {0}")
    @MethodSource("protectedConnectionOptions")
    void rejectsConnectionNamingProtectedHeader(String connection) {
        assertThatThrownBy(() -> sanitize(headers("Connection", connection, "Cookie", "s=1")))
                .isInstanceOfSatisfying(IngressRejection.class, e -> assertThat(e.reason())
                        .isEqualTo(RejectReason.CONNECTION_NAMES_PROTECTED_HEADER));
    }

    @Test
    void rejectsConnectionOptionThatIsNotAToken() {
        assertThatThrownBy(() -> sanitize(headers("Connection", "close, a b")))
                .isInstanceOfSatisfying(IngressRejection.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.MALFORMED_HEADER));
    }

    @Test
    void removesH2cUpgradeAndGoesOnAsHttp11() throws IngressRejection {
        SanitizedHeaders out = sanitizer.sanitize("GET", HttpVersion.HTTP_1_1, headers(
                "Connection", "Upgrade, HTTP2-Settings", "Upgrade", "h2c", "HTTP2-Settings", "AAMAAABkAAQAAP__",
                "Accept", "*/*"));
        assertThat(out.websocketUpgrade()).isFalse();
        assertThat(out.headers().names()).containsExactly("Accept");
    }

    @Test
    void replacesClientTransferEncodingWithGatewayChunked() throws IngressRejection {
        HttpHeaders out = sanitizer.sanitize("POST", HttpVersion.HTTP_1_1,
                headers("Transfer-Encoding", "CHUNKED", "Accept", "*/*")).headers();
        assertThat(out.getAll("Transfer-Encoding")).containsExactly("chunked");
    }

    @Test
    void keepsValidatedWebSocketUpgrade() throws IngressRejection {
        SanitizedHeaders out = sanitizer.sanitize("GET", HttpVersion.HTTP_1_1, headers(
                "Connection", "keep-alive, Upgrade", "Upgrade", "WebSocket",
                "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Protocol", "chat", "Origin", "https://app.example.org", "Remote-User", "x"));
        assertThat(out.websocketUpgrade()).isTrue();
        assertThat(out.headers().get("Upgrade")).isEqualTo("websocket");
        assertThat(out.headers().get("Connection")).isEqualTo("upgrade");
        assertThat(out.headers().get("Sec-WebSocket-Key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(out.headers().get("Sec-WebSocket-Protocol")).isEqualTo("chat");
        assertThat(out.headers().contains("Remote-User")).isFalse();
    }
}
