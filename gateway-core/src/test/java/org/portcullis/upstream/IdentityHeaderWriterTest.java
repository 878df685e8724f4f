package org.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.config.HeaderNameRules;
import org.portcullis.config.IdentityHeaders;
import org.portcullis.config.JwtAssertionConfig;
import org.portcullis.config.RouteConfig;
import org.portcullis.identity.User;
import org.portcullis.ingress.GatewayHeaderNames;

/** What the upstream receives: no client copy of any identity header, and exactly the gateway's values. */
class IdentityHeaderWriterTest {
    static final IdentityHeaders CUSTOM = new IdentityHeaders(Optional.of("X-Employee-Id"), Optional.empty(),
            Optional.of("X-Display-Name"), Optional.empty());
    static final JwtAssertionConfig JWT = new JwtAssertionConfig("X-Assertion", Duration.ofSeconds(30));

    /** A client request full of spoofed identity headers, plus headers that must survive. */
    static HttpHeaders spoofed() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Remote-User", "admin");
        headers.add("Remote-User", "root");                 // a second copy
        headers.add("remote-user", "lower");                // another case
        headers.add("REMOTE_USER", "cgi");                  // '_' for '-', read as REMOTE_USER by CGI/PHP
        headers.add("Remote.Groups", "admins");             // any odd character for '-'
        headers.add("remote-name", "Admin");
        headers.add("Remote-Email", "admin@example.org");
        headers.add("X-Forwarded-User", "admin");           // the other family
        headers.add("x_forwarded_groups", "admins");
        headers.add("X-Forwarded-Email", "admin@example.org");
        headers.add("X-Forwarded-Name", "Admin");
        headers.add("X-Auth-Request-User", "admin");        // oauth2-proxy's names
        headers.add("X-Portcullis-Assertion", "forged");     // the default JWT header
        headers.add("Accept", "text/html");
        headers.add("Authorization", "Basic YWxpY2U6cHc=");
        headers.add("X-Forwarded-For", "192.0.2.7");
        headers.add("X-Forwarded-Proto", "https");
        return headers;
    }

    /** Spoofed copies of the custom route's own names. */
    static HttpHeaders spoofedCustom() {
        HttpHeaders headers = spoofed();
        headers.add("X-Employee-Id", "0001");
        headers.add("x_employee_id", "0002");
        headers.add("X-DISPLAY-NAME", "Admin");
        headers.add("X-Assertion", "eyJhbGciOiJub25lIn0.e30.");  // a forged assertion
        headers.add("X_Assertion", "forged");
        return headers;
    }

    static final List<String> SURVIVORS = List.of("Accept", "Authorization", "X-Forwarded-For", "X-Forwarded-Proto");

    static List<Map.Entry<String, String>> entries(HttpHeaders headers) {
        List<Map.Entry<String, String>> all = new ArrayList<>();
        headers.forEach(e -> all.add(Map.entry(e.getKey(), e.getValue())));
        return all;
    }

    @Test
    void remoteFamilyReplacesEverySpoofedCopyWithExactlyOneGatewayValue() {
        HttpHeaders headers = spoofed();
        new IdentityHeaderWriter(IdentityHeaders.REMOTE, null).write(headers, TestUsers.alice(), null);

        assertThat(entries(headers)).containsExactlyInAnyOrder(
                Map.entry("Accept", "text/html"),
                Map.entry("Authorization", "Basic YWxpY2U6cHc="),
                Map.entry("X-Forwarded-For", "192.0.2.7"),
                Map.entry("X-Forwarded-Proto", "https"),
                Map.entry("Remote-User", "alice"),
                Map.entry("Remote-Groups", "clinicians,nurses"),
                Map.entry("Remote-Name", "Alice Smith"),
                Map.entry("Remote-Email", "alice@example.org"));
    }

    @Test
    void xForwardedFamilyAlsoStripsTheRemoteFamily() {
        HttpHeaders headers = spoofed();
        new IdentityHeaderWriter(IdentityHeaders.X_FORWARDED, null).write(headers, TestUsers.alice(), null);

        assertThat(entries(headers)).containsExactlyInAnyOrder(
                Map.entry("Accept", "text/html"),
                Map.entry("Authorization", "Basic YWxpY2U6cHc="),
                Map.entry("X-Forwarded-For", "192.0.2.7"),
                Map.entry("X-Forwarded-Proto", "https"),
                Map.entry("X-Forwarded-User", "alice"),
                Map.entry("X-Forwarded-Groups", "clinicians,nurses"),
                Map.entry("X-Forwarded-Name", "Alice Smith"),
                Map.entry("X-Forwarded-Email", "alice@example.org"));
    }

    @Test
    void customNamesAndJwtHeader() {
        HttpHeaders headers = spoofedCustom();
        new IdentityHeaderWriter(CUSTOM, JWT).write(headers, TestUsers.alice(), "a.b.c");

        assertThat(entries(headers)).containsExactlyInAnyOrder(
                Map.entry("Accept", "text/html"),
                Map.entry("Authorization", "Basic YWxpY2U6cHc="),
                Map.entry("X-Forwarded-For", "192.0.2.7"),
                Map.entry("X-Forwarded-Proto", "https"),
                Map.entry("X-Employee-Id", "alice"),
                Map.entry("X-Display-Name", "Alice Smith"),
                Map.entry("X-Assertion", "a.b.c"));
    }

    @Test
    void noneSendsNothingButStillStrips() {
        HttpHeaders headers = spoofed();
        new IdentityHeaderWriter(IdentityHeaders.NONE, null).write(headers, TestUsers.alice(), null);
        assertThat(headers.names()).containsExactlyInAnyOrderElementsOf(SURVIVORS);
    }

    @Test
    void bypassOnlyStrips() {
        HttpHeaders headers = spoofedCustom();
        new IdentityHeaderWriter(CUSTOM, JWT).strip(headers);
        assertThat(headers.names()).containsExactlyInAnyOrderElementsOf(SURVIVORS);
    }

    /**
     * Another route's custom names mean nothing to this route's upstream; ingress drops them for every route
     * ({@link IdentityHeaderWriter#configuredNames} fed to the request canonicalizer).
     */
    @Test
    void anotherRoutesCustomNamesAreLeftToIngress() {
        HttpHeaders headers = spoofedCustom();
        new IdentityHeaderWriter(IdentityHeaders.REMOTE, null).write(headers, TestUsers.alice(), null);
        assertThat(headers.get("X-Employee-Id")).isEqualTo("0001");
        assertThat(headers.getAll("Remote-User")).containsExactly("alice");
    }

    @Test
    void noEmailHeaderWithoutAnEmailEvenWhenTheClientSentOne() {
        HttpHeaders headers = spoofed();
        User bob = TestUsers.user("bob", "Bob", null, List.of());
        new IdentityHeaderWriter(IdentityHeaders.REMOTE, null).write(headers, bob, null);
        assertThat(headers.contains("Remote-Email")).isFalse();
        assertThat(headers.getAll("Remote-Groups")).containsExactly("");
        assertThat(headers.getAll("Remote-User")).containsExactly("bob");
    }

    @Test
    void assertionMustMatchTheRoutesJwtSetting() {
        assertThatThrownBy(() -> new IdentityHeaderWriter(CUSTOM, JWT).write(spoofed(), TestUsers.alice(), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has jwt but no assertion");
        assertThatThrownBy(() -> new IdentityHeaderWriter(CUSTOM, null).write(spoofed(), TestUsers.alice(), "a.b.c"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no jwt");
    }

    static Stream<Arguments> hostileValues() {
        return Stream.of(
                // non-ASCII: percent-encoded UTF-8
                Arguments.of("Zoë Ågren", "Zo%C3%AB %C3%85gren"),
                // CR LF would end the header and start a forged one
                Arguments.of("Eve\r\nRemote-User: admin", "Eve%0D%0ARemote-User: admin"),
                // NUL, TAB, DEL
                Arguments.of("a\u0000b\tc\u007fd", "a%00b%09c%7Fd"),
                // '%' and '+' so every percent-decoder reads the same text
                Arguments.of("100% a+b", "100%25 a%2Bb"),
                // spaces at the edges would be trimmed as OWS
                Arguments.of(" padded ", "%20padded%20"),
                // a comma is only special in a list
                Arguments.of("Smith, John", "Smith, John"),
                // visible ASCII punctuation is kept
                Arguments.of("O'Brien \"Bob\" <b@x>;q=1", "O'Brien \"Bob\" <b@x>;q=1"),
                Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void displayNamesAreEncodedAndDecodeBack(String displayName, String expected) {
        HttpHeaders headers = new DefaultHttpHeaders();
        User user = TestUsers.user("zoe", displayName, null, List.of());
        new IdentityHeaderWriter(IdentityHeaders.REMOTE, null).write(headers, user, null);

        assertThat(headers.getAll("Remote-Name")).containsExactly(expected);
        assertThat(expected.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        // Java's form decoder (which reads '+' as a space) and a plain percent-decoder agree
        assertThat(URLDecoder.decode(expected, StandardCharsets.UTF_8)).isEqualTo(displayName);
        assertThat(percentDecode(expected)).isEqualTo(displayName);
    }

    @Test
    void groupsWithCommasAndOddCharactersStayOneGroupEach() {
        User user = TestUsers.user("zoe", "Zoë", "zoë@example.org",
                List.of("a,b", "wards: north & south", "Ärzte", " x"));
        HttpHeaders headers = new DefaultHttpHeaders();
        new IdentityHeaderWriter(IdentityHeaders.REMOTE, null).write(headers, user, null);

        String groups = headers.get("Remote-Groups");
        assertThat(groups).isEqualTo("a%2Cb,wards: north & south,%C3%84rzte,%20x");
        assertThat(Stream.of(groups.split(",", -1)).map(IdentityHeaderWriterTest::percentDecode))
                .containsExactly("a,b", "wards: north & south", "Ärzte", " x");
        assertThat(headers.get("Remote-Name")).isEqualTo("Zo%C3%AB");
        assertThat(headers.get("Remote-Email")).isEqualTo("zo%C3%AB@example.org");
    }

    @Test
    void onTheWireAHostileNameIsOneHeaderLine() {
        User eve = TestUsers.user("eve", "Eve\r\nRemote-User: admin\r\n\r\nGET /admin HTTP/1.1", null,
                List.of("x\r\nRemote-Groups: admins"));
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().set("Host", "records.example.org");
        new IdentityHeaderWriter(IdentityHeaders.REMOTE, null).write(request.headers(), eve, null);

        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestEncoder());
        channel.writeOutbound(request);
        StringBuilder wire = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            wire.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(wire.toString()).isEqualTo("GET / HTTP/1.1\r\n"
                + "Host: records.example.org\r\n"
                + "Remote-User: eve\r\n"
                + "Remote-Groups: x%0D%0ARemote-Groups: admins\r\n"
                + "Remote-Name: Eve%0D%0ARemote-User: admin%0D%0A%0D%0AGET /admin HTTP/1.1\r\n"
                + "\r\n");
    }

    @Test
    void configuredNamesAreEveryRoutesCustomAndJwtNames() {
        RouteConfig custom = RouteConfigs.route("a", CUSTOM, JWT);
        RouteConfig plain = RouteConfigs.route("b", IdentityHeaders.REMOTE, JwtAssertionConfig.defaults());
        assertThat(IdentityHeaderWriter.configuredNames(List.of(custom, plain))).containsExactly(
                "X-Employee-Id", "X-Display-Name", "X-Assertion", "Remote-User", "Remote-Groups", "Remote-Name",
                "Remote-Email", "X-Portcullis-Assertion");
        assertThat(IdentityHeaderWriter.forRoute(custom).managedNames())
                .contains("X-Employee-Id", "X-Display-Name", "X-Assertion", "Remote-User", "X-Forwarded-Name")
                .containsAll(GatewayHeaderNames.IDENTITY);
    }

    /** The config module keeps its own copy of the names identity headers may not take; it must cover ingress'. */
    @Test
    void configRefusesEveryNameIngressTreatsAsFramingOverrideOrProtected() {
        List<String> ingress = new ArrayList<>(GatewayHeaderNames.HOP_BY_HOP);
        ingress.addAll(GatewayHeaderNames.CLIENT_OVERRIDE);
        ingress.addAll(GatewayHeaderNames.PROTECTED_FROM_CONNECTION);
        assertThat(ingress).allMatch(HeaderNameRules::isReserved);
        assertThat(GatewayHeaderNames.IDENTITY).noneMatch(HeaderNameRules::isReserved);
        assertThat(HeaderNameRules.isReserved(GatewayHeaderNames.WEBSOCKET_PREFIX + "Key")).isTrue();
    }

    /** RFC 3986 percent-decoding of UTF-8, nothing else ('+' stays '+'). */
    static String percentDecode(String value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
