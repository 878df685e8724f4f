package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.config.HostPattern;

class ReturnTargetPolicyTest {

    static final PortalOrigin PORTAL = PortalOrigin.of(URI.create("https://login.example.org"));
    static final ReturnTargetPolicy POLICY = new ReturnTargetPolicy(PORTAL, List.of(
            new HostPattern("app.test"),
            new HostPattern("records.example.org"),
            new HostPattern("*.apps.example.org"),
            new HostPattern("10.0.0.5")), Set.of(443));
    static final ReturnTarget HOME = new ReturnTarget("https", "login.example.org", 443, "/.portcullis/",
            Optional.empty());

    static Stream<Arguments> openRedirects() {
        return Stream.of(
                arguments("//evil.com", ReturnTargetRefusal.SCHEME_RELATIVE),                    // 1 scheme-relative
                arguments("///evil.com", ReturnTargetRefusal.SCHEME_RELATIVE),                   // 2 triple slash
                arguments("/\\evil.com", ReturnTargetRefusal.BACKSLASH),                         // 3 slash-backslash
                arguments("\\\\evil.com", ReturnTargetRefusal.BACKSLASH),                        // 4 two backslashes
                arguments("\\/evil.com", ReturnTargetRefusal.BACKSLASH),                         // 5 backslash-slash
                arguments("/%2fevil.com", ReturnTargetRefusal.PATH_REFUSED),                     // 6 encoded slash
                arguments("/%2Fevil.com", ReturnTargetRefusal.PATH_REFUSED),                     // 7 upper-case hex
                arguments("/%5cevil.com", ReturnTargetRefusal.PATH_REFUSED),                     // 8 encoded '\'
                arguments("/%252f%252fevil.com", ReturnTargetRefusal.PATH_REFUSED),              // 9 double encoded
                arguments("%2F%2Fevil.com", ReturnTargetRefusal.NOT_A_URL),                      // 10 still encoded
                arguments("https%3A%2F%2Fevil.com", ReturnTargetRefusal.NOT_A_URL),              // 11 encoded URL
                arguments("/%0d%0aSet-Cookie:a=b", ReturnTargetRefusal.PATH_REFUSED),            // 12 CRLF injection
                arguments("/%09/evil.com", ReturnTargetRefusal.PATH_REFUSED),                    // 13 encoded tab
                arguments("/\t/evil.com", ReturnTargetRefusal.CONTROL_OR_WHITESPACE),            // 14 raw tab
                arguments("/\r\n/evil.com", ReturnTargetRefusal.CONTROL_OR_WHITESPACE),          // 15 raw CR LF
                arguments("https://app.test/\nSet-Cookie:x", ReturnTargetRefusal.CONTROL_OR_WHITESPACE), // 16 LF
                arguments(" /x", ReturnTargetRefusal.CONTROL_OR_WHITESPACE),                     // 17 leading space
                arguments("/x\u0000", ReturnTargetRefusal.CONTROL_OR_WHITESPACE),                // 18 NUL
                arguments("https:evil.com", ReturnTargetRefusal.SCHEME_NOT_ALLOWED),             // 19 no slashes
                arguments("https:/evil.com", ReturnTargetRefusal.SCHEME_NOT_ALLOWED),            // 20 one slash
                arguments("https:///evil.com", ReturnTargetRefusal.MALFORMED_HOST),              // 21 empty host
                arguments("https://evil.com/", ReturnTargetRefusal.HOST_NOT_PROTECTED),          // 22 foreign host
                arguments("https://app.test@evil.com/", ReturnTargetRefusal.USER_INFO),          // 23 user info
                arguments("https://app.test:443@evil.com/", ReturnTargetRefusal.USER_INFO),      // 24 port-like info
                arguments("https://evil.com\\@app.test/", ReturnTargetRefusal.BACKSLASH),        // 25 '\' then '@'
                arguments("https://app.test.evil.com/", ReturnTargetRefusal.HOST_NOT_PROTECTED), // 26 suffix trick
                arguments("https://evilapp.test/", ReturnTargetRefusal.HOST_NOT_PROTECTED),      // 27 prefix trick
                arguments("https://evil.com/https://app.test/", ReturnTargetRefusal.HOST_NOT_PROTECTED), // 28 in path
                arguments("https://evil.com?https://app.test/", ReturnTargetRefusal.MISSING_PATH), // 29 in query
                arguments("javascript:alert(1)", ReturnTargetRefusal.SCHEME_NOT_ALLOWED),        // 30 javascript
                arguments("JaVaScRiPt:alert(1)", ReturnTargetRefusal.SCHEME_NOT_ALLOWED),        // 31 mixed case
                arguments("java\tscript:alert(1)", ReturnTargetRefusal.CONTROL_OR_WHITESPACE),   // 32 tab in scheme
                arguments("data:text/html,<script>alert(1)</script>",                            // 33 data URL
                        ReturnTargetRefusal.SCHEME_NOT_ALLOWED),
                arguments("vbscript:msgbox(1)", ReturnTargetRefusal.SCHEME_NOT_ALLOWED),         // 34 vbscript
                arguments("http://app.test/", ReturnTargetRefusal.SCHEME_NOT_ALLOWED),           // 35 plain http
                arguments("HTTPS://app.test/", ReturnTargetRefusal.SCHEME_NOT_ALLOWED),          // 36 scheme case
                arguments("https://app.test:444/", ReturnTargetRefusal.PORT_NOT_ALLOWED),        // 37 wrong port
                arguments("https://app.test:0443/", ReturnTargetRefusal.MALFORMED_PORT),         // 38 leading zero
                arguments("https://app.test:/", ReturnTargetRefusal.MALFORMED_PORT),             // 39 empty port
                arguments("https://app.test:99999/", ReturnTargetRefusal.MALFORMED_PORT),        // 40 out of range
                arguments("https://app.test:443:443/", ReturnTargetRefusal.MALFORMED_PORT),      // 41 two ports
                arguments("https://app.test%2eevil.com/", ReturnTargetRefusal.ENCODED_AUTHORITY), // 42 encoded dot
                arguments("https://%61pp.test/", ReturnTargetRefusal.ENCODED_AUTHORITY),         // 43 encoded letter
                arguments("https://APP.TEST./", ReturnTargetRefusal.TRAILING_DOT),               // 44 trailing dot
                arguments("https://app.test../", ReturnTargetRefusal.TRAILING_DOT),              // 45 two dots
                arguments("https://app..test/", ReturnTargetRefusal.MALFORMED_HOST),             // 46 empty label
                arguments("https://\u0430pp.test/", ReturnTargetRefusal.NON_ASCII),              // 47 Cyrillic 'a'
                arguments("https://app\uff0etest/", ReturnTargetRefusal.NON_ASCII),              // 48 full-width dot
                arguments("/\uff0fevil.com", ReturnTargetRefusal.NON_ASCII),                     // 49 full-width '/'
                arguments("https://xn--pp-8cd.test/", ReturnTargetRefusal.HOST_NOT_PROTECTED),   // 50 punycode
                arguments("https://[::1]/", ReturnTargetRefusal.IP_LITERAL),                     // 51 IPv6 literal
                arguments("https://127.0.0.1/", ReturnTargetRefusal.HOST_NOT_PROTECTED),         // 52 IPv4 unlisted
                arguments("https://0x7f.1/", ReturnTargetRefusal.HOST_NOT_PROTECTED),            // 53 IPv4 shorthand
                arguments("https://app.test#@evil.com/", ReturnTargetRefusal.FRAGMENT),          // 54 '#' before '@'
                arguments("/path#frag", ReturnTargetRefusal.FRAGMENT),                           // 55 fragment
                arguments("https://app.test", ReturnTargetRefusal.MISSING_PATH),                 // 56 no path
                arguments("https://app.test?x=1", ReturnTargetRefusal.MISSING_PATH),             // 57 query, no path
                arguments("https://app.test//evil.com", ReturnTargetRefusal.PATH_NOT_CANONICAL), // 58 '//' path
                arguments("/./evil", ReturnTargetRefusal.PATH_NOT_CANONICAL),                    // 59 dot segment
                arguments("/a/../b", ReturnTargetRefusal.PATH_NOT_CANONICAL),                    // 60 dot-dot
                arguments("/%2e%2e/admin", ReturnTargetRefusal.PATH_REFUSED),                    // 61 climbs root
                arguments("/a/%2e%2e/b", ReturnTargetRefusal.PATH_NOT_CANONICAL),                // 62 encoded '..'
                arguments("/.//evil.com", ReturnTargetRefusal.PATH_NOT_CANONICAL),               // 63 dot then '//'
                arguments("/admin;x=/", ReturnTargetRefusal.PATH_REFUSED),                       // 64 path parameter
                arguments("/%c0%ae%c0%ae/", ReturnTargetRefusal.PATH_REFUSED),                   // 65 overlong UTF-8
                arguments("/%", ReturnTargetRefusal.PATH_REFUSED),                               // 66 bare '%'
                arguments("/x?a=%zz", ReturnTargetRefusal.MALFORMED_QUERY),                      // 67 bad escape
                arguments("/x?a=%4", ReturnTargetRefusal.MALFORMED_QUERY),                       // 68 cut escape
                arguments("evil.com", ReturnTargetRefusal.NOT_A_URL),                            // 69 bare name
                arguments("evil.com/x", ReturnTargetRefusal.NOT_A_URL),                          // 70 relative path
                arguments(".//evil.com", ReturnTargetRefusal.NOT_A_URL),                         // 71 dot prefix
                arguments("https://a.b.apps.example.org/", ReturnTargetRefusal.HOST_NOT_PROTECTED), // 72 deep wildcard
                arguments("https://apps.example.org/", ReturnTargetRefusal.HOST_NOT_PROTECTED),  // 73 wildcard base
                arguments("https://app.test/" + "a".repeat(ReturnTargetPolicy.MAX_LENGTH),       // 74 too long
                        ReturnTargetRefusal.TOO_LONG),
                arguments("", ReturnTargetRefusal.ABSENT),                                       // 75 empty
                arguments(null, ReturnTargetRefusal.ABSENT));                                    // 76 missing
    }

    @ParameterizedTest
    @MethodSource("openRedirects")
    void refusesOpenRedirectsAndFallsBackToThePortalHome(String rd, ReturnTargetRefusal reason) {
        assertThat(POLICY.check(rd)).isEqualTo(new ReturnTargetVerdict.Refused(reason));
        assertThat(POLICY.resolve(rd)).isEqualTo(HOME);
        assertThat(POLICY.resolve(rd).toUrl()).isEqualTo("https://login.example.org/.portcullis/");
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments("/", "https://login.example.org/"),                                     // 1 portal root
                arguments("/.portcullis/", "https://login.example.org/.portcullis/"),             // 2 portal home
                arguments("/a/b?c=d&e=%2F", "https://login.example.org/a/b?c=d&e=%2F"),           // 3 relative+query
                arguments("https://app.test/", "https://app.test/"),                              // 4 protected host
                arguments("https://APP.Test/x", "https://app.test/x"),                            // 5 host case folded
                arguments("https://app.test:443/x", "https://app.test/x"),                        // 6 explicit default
                arguments("https://records.example.org/p/a%20b?q=1+2&r=%25",                      // 7 escapes kept
                        "https://records.example.org/p/a%20b?q=1+2&r=%25"),
                arguments("https://ward.apps.example.org/x", "https://ward.apps.example.org/x"),  // 8 one-label wild
                arguments("https://10.0.0.5/x", "https://10.0.0.5/x"),                            // 9 configured IPv4
                arguments("https://login.example.org/.portcullis/", "https://login.example.org/.portcullis/"), // 10
                arguments("https://app.test/x?next=//evil.com",                                   // 11 query: data
                        "https://app.test/x?next=//evil.com"),
                arguments("https://app.test/x?", "https://app.test/x?"),                          // 12 empty query
                arguments("https://app.test/a%41b", "https://app.test/a%41b"),                    // 13 harmless escape
                arguments("https://app.test/a/b/", "https://app.test/a/b/"));                     // 14 trailing slash
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void honoursProtectedHttpsTargetsAndRootedPaths(String rd, String url) {
        assertThat(POLICY.check(rd)).isInstanceOf(ReturnTargetVerdict.Accepted.class);
        assertThat(POLICY.resolve(rd).toUrl()).isEqualTo(url);
    }

    @Test
    void splitsAnAcceptedTargetIntoItsParts() {
        ReturnTarget target = POLICY.resolve("https://app.test/records/7?view=full");
        assertThat(target).isEqualTo(new ReturnTarget("https", "app.test", 443, "/records/7",
                Optional.of("view=full")));
        assertThat(target.origin()).isEqualTo("https://app.test");
        assertThat(target.pathAndQuery()).isEqualTo("/records/7?view=full");
    }

    @Test
    void aRootedPathReturnsToThePortalHostAndPort() {
        PortalOrigin portal = PortalOrigin.of(URI.create("https://login.example.org:8443/"));
        ReturnTargetPolicy policy = new ReturnTargetPolicy(portal, List.of(new HostPattern("app.test")),
                Set.of(8443));
        ReturnTarget target = policy.resolve("/a?b");
        assertThat(target).isEqualTo(new ReturnTarget("https", "login.example.org", 8443, "/a", Optional.of("b")));
        assertThat(target.toUrl()).isEqualTo("https://login.example.org:8443/a?b");
    }

    @Test
    void thePortPolicyDecidesWhichPortsMayBeNamedOrImplied() {
        PortalOrigin portal = PortalOrigin.of(URI.create("https://login.example.org:8443"));
        ReturnTargetPolicy policy = new ReturnTargetPolicy(portal, List.of(new HostPattern("app.test")),
                Set.of(8443));
        assertThat(policy.resolve("https://app.test:8443/x").toUrl()).isEqualTo("https://app.test:8443/x");
        assertThat(policy.check("https://app.test/x"))
                .isEqualTo(new ReturnTargetVerdict.Refused(ReturnTargetRefusal.PORT_NOT_ALLOWED));
        assertThat(policy.resolve("https://app.test/x").toUrl())
                .isEqualTo("https://login.example.org:8443/.portcullis/");
    }

    @Test
    void aLocalhostPortalAcceptsItsOwnHttpSchemeOnly() {
        PortalOrigin portal = PortalOrigin.of(URI.create("http://localhost:8080"));
        ReturnTargetPolicy policy = new ReturnTargetPolicy(portal, List.of(), Set.of(8080));
        assertThat(policy.resolve("http://localhost:8080/x").toUrl()).isEqualTo("http://localhost:8080/x");
        assertThat(policy.check("https://localhost:8080/x"))
                .isEqualTo(new ReturnTargetVerdict.Refused(ReturnTargetRefusal.SCHEME_NOT_ALLOWED));
    }

    @Test
    void anOriginalUrlSurvivesTheFormEncodingRoundTrip() {
        String original = "https://records.example.org/p/a%20b?q=x%2By&next=%2Fhome&s=a+b";
        String rdOnTheWire = URLEncoder.encode(original, StandardCharsets.UTF_8);
        String decodedOnce = URLDecoder.decode(rdOnTheWire, StandardCharsets.UTF_8);
        assertThat(POLICY.resolve(decodedOnce).toUrl()).isEqualTo(original);
    }

    @Test
    void anAttackEncodedOnceMoreIsStillRefusedAfterTheOneDecoding() {
        String decodedOnce = URLDecoder.decode("%252F%252Fevil.com", StandardCharsets.UTF_8);
        assertThat(decodedOnce).isEqualTo("%2F%2Fevil.com");
        assertThat(POLICY.check(decodedOnce)).isInstanceOf(ReturnTargetVerdict.Refused.class);
        String slashEncoded = URLDecoder.decode("/%252fevil.com", StandardCharsets.UTF_8);
        assertThat(POLICY.check(slashEncoded))
                .isEqualTo(new ReturnTargetVerdict.Refused(ReturnTargetRefusal.PATH_REFUSED));
    }

    @Test
    void theLongestAllowedValueIsStillAccepted() {
        String prefix = "https://app.test/";
        String rd = prefix + "a".repeat(ReturnTargetPolicy.MAX_LENGTH - prefix.length());
        assertThat(rd).hasSize(ReturnTargetPolicy.MAX_LENGTH);
        assertThat(POLICY.check(rd)).isInstanceOf(ReturnTargetVerdict.Accepted.class);
        assertThat(POLICY.check(rd + "a"))
                .isEqualTo(new ReturnTargetVerdict.Refused(ReturnTargetRefusal.TOO_LONG));
    }

    @Test
    void portalOriginAcceptsHttpsAndLocalhostHttpOnly() {
        assertThat(PortalOrigin.of(URI.create("https://Login.Example.org/")).serialized())
                .isEqualTo("https://login.example.org");
        assertThat(PortalOrigin.of(URI.create("https://login.example.org:443")).serialized())
                .isEqualTo("https://login.example.org");
        assertThat(PortalOrigin.of(URI.create("https://login.example.org:8443")).serialized())
                .isEqualTo("https://login.example.org:8443");
        assertThat(PortalOrigin.of(URI.create("http://localhost:8080")).serialized())
                .isEqualTo("http://localhost:8080");
        assertThatThrownBy(() -> PortalOrigin.of(URI.create("http://login.example.org")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortalOrigin.of(URI.create("https://login.example.org/portal")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortalOrigin.of(URI.create("https://u@login.example.org")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
