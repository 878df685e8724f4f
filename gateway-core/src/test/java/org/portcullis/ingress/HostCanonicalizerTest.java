package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostCanonicalizerTest {

    static Stream<Arguments> acceptedHosts() {
        return Stream.of(
                arguments("example.org", "example.org", 443),          // plain name, default port
                arguments("EXAMPLE.Org", "example.org", 443),          // lower-cased
                arguments("example.org.", "example.org", 443),         // one trailing dot removed
                arguments("Example.ORG.:8443", "example.org", 8443),   // both, with port
                arguments("example.org:443", "example.org", 443),      // explicit default port
                arguments("example.org:1", "example.org", 1),          // lowest port
                arguments("example.org:65535", "example.org", 65535),  // highest port
                arguments("intra_app.local", "intra_app.local", 443),  // '_' accepted for internal names
                arguments("a-b.c-d", "a-b.c-d", 443),                  // hyphens
                arguments("10.0.0.1", "10.0.0.1", 443),                // IPv4
                arguments("10.0.0.1:8080", "10.0.0.1", 8080),          // IPv4 with port
                arguments("[::1]", "::1", 443),                        // IPv6 loopback
                arguments("[0:0:0:0:0:0:0:1]:8443", "::1", 8443),      // IPv6 printed in RFC 5952 form
                arguments("[2001:DB8::1]", "2001:db8::1", 443),        // IPv6 lower-cased
                arguments("localhost", "localhost", 443),              // single label
                arguments("x1.example", "x1.example", 443),            // digits in labels
                arguments("a".repeat(63) + ".org", "a".repeat(63) + ".org", 443)); // longest label
    }

    @ParameterizedTest(name = "{0} -> {1}:{2}")
    @MethodSource("acceptedHosts")
    void canonicalisesHosts(String raw, String host, int port) throws IngressRejection {
        assertThat(HostCanonicalizer.canonicalize(raw, 443)).isEqualTo(new HostAndPort(host, port));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "",                         // empty host
            ":80",                      // empty name with port
            "example.org:",             // empty port after ':'
            "example.org:0",            // port zero
            "example.org:65536",        // port too large
            "example.org:+80",          // signed port
            "example.org: 80",          // space before port
            "example.org:080a",         // non-digit port
            "example.org:123456",       // too many digits
            "example.org..",            // two trailing dots
            "a..b",                     // empty label
            ".example.org",             // leading dot
            ".",                        // only a dot
            "user@example.org",         // userinfo
            "trusted.org@evil.org",     // userinfo confusion
            "exa mple.org",             // space
            "example.org%2f",           // percent-encoding
            "ex%41mple.org",            // percent-encoded letter
            "example.org/path",         // slash
            "example.org\\",            // backslash
            "::1",                      // IPv6 without brackets
            "[::1",                     // unterminated literal
            "[::1]x",                   // garbage after literal
            "[fe80::1%25eth0]",         // zone id
            "[v1.fe]",                  // IPvFuture
            "[1.2.3.4]",                // IPv4 in brackets
            "127.1",                    // shorthand IPv4 that browsers resolve
            "0x7f.0.0.1",               // hex IPv4
            "010.0.0.1",                // octal-looking IPv4
            "256.0.0.1",                // octet out of range
            "1.2.3.4.5",                // five numeric labels
            "2130706433",               // integer IPv4
            "exämple.org",              // non-ASCII
            "example.org\u0000",        // NUL
    })
    void rejectsInvalidHosts(String raw) {
        assertThatThrownBy(() -> HostCanonicalizer.canonicalize(raw, 443))
                .isInstanceOfSatisfying(IngressRejection.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_HOST));
    }

    @org.junit.jupiter.api.Test
    void rejectsOverlongNamesAndLabels() {
        String longLabel = "a".repeat(64) + ".org";
        String longName = ("a".repeat(60) + ".").repeat(5) + "org";
        for (String raw : new String[] {longLabel, longName}) {
            assertThatThrownBy(() -> HostCanonicalizer.canonicalize(raw, 80))
                    .isInstanceOfSatisfying(IngressRejection.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_HOST));
        }
    }
}
