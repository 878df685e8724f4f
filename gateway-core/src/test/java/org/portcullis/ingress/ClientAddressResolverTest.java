package org.portcullis.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.config.Cidr;

class ClientAddressResolverTest {
    private static final List<Cidr> TRUSTED = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));

    private static ConnectionInfo from(String peer) {
        return new ConnectionInfo(new InetSocketAddress(ip(peer), 40000), false, 80, TRUSTED);
    }

    private static InetAddress ip(String literal) {
        return ClientAddressResolver.parseEntry(literal, 0, literal.length());
    }

    private static HttpHeaders xff(String... fields) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (String f : fields) {
            h.add("X-Forwarded-For", f);
        }
        return h;
    }

    static Stream<Arguments> resolutions() {
        return Stream.of(
                // peer, X-Forwarded-For fields, expected client
                arguments("203.0.113.9", new String[] {"1.2.3.4"}, "203.0.113.9"),              // untrusted peer: XFF ignored
                arguments("2001:db8::9", new String[] {"1.2.3.4"}, "2001:db8::9"),              // untrusted IPv6 peer: XFF ignored
                arguments("10.0.0.1", new String[] {}, "10.0.0.1"),                             // trusted peer, no XFF
                arguments("10.0.0.1", new String[] {"198.51.100.7"}, "198.51.100.7"),           // one hop
                arguments("10.0.0.1", new String[] {"6.6.6.6, 198.51.100.7"}, "198.51.100.7"),  // spoofed left entry ignored
                arguments("10.0.0.1", new String[] {"6.6.6.6, 198.51.100.7, 10.0.0.2"}, "198.51.100.7"), // skip trusted hop
                arguments("10.0.0.1", new String[] {"6.6.6.6", "198.51.100.7"}, "198.51.100.7"), // several fields: last is right-most
                arguments("10.0.0.1", new String[] {"198.51.100.7", "10.0.0.3"}, "198.51.100.7"), // trusted hop in last field
                arguments("10.0.0.1", new String[] {"10.0.0.5, 10.0.0.4"}, "10.0.0.5"),        // all trusted: left-most
                arguments("10.0.0.1", new String[] {"6.6.6.6, garbage"}, "10.0.0.1"),          // malformed right-most: peer
                arguments("10.0.0.1", new String[] {"6.6.6.6, unknown, 10.0.0.2"}, "10.0.0.2"), // malformed: last good trusted
                arguments("10.0.0.1", new String[] {"6.6.6.6,, 10.0.0.2"}, "10.0.0.2"),        // empty element stops the walk
                arguments("10.0.0.1", new String[] {"6.6.6.6, 198.51.100.7:5555"}, "198.51.100.7"), // IPv4 with port
                arguments("10.0.0.1", new String[] {"2001:db8::7"}, "2001:db8::7"),            // IPv6 hop
                arguments("10.0.0.1", new String[] {"[2001:db8::7]:443"}, "2001:db8::7"),      // bracketed IPv6 with port
                arguments("10.0.0.1", new String[] {"fd00::1, 2001:db8::7, fd00::2"}, "2001:db8::7"), // trusted IPv6 hops
                arguments("fd00::9", new String[] {"6.6.6.6, 198.51.100.7"}, "198.51.100.7"),  // trusted IPv6 peer
                arguments("10.0.0.1", new String[] {"6.6.6.6, 010.0.0.2"}, "10.0.0.1"),        // leading zeros are not an address
                arguments("10.0.0.1", new String[] {"6.6.6.6, evil.example"}, "10.0.0.1"),     // names are never resolved
                arguments("10.0.0.1", new String[] {"6.6.6.6, fe80::1%eth0"}, "10.0.0.1"));    // zone id refused
    }

    @ParameterizedTest(name = "peer {0}, XFF {1} -> {2}")
    @MethodSource("resolutions")
    void takesRightMostUntrustedAddress(String peer, String[] fields, String expected) {
        ClientAddress resolved = ClientAddressResolver.resolve(from(peer), xff(fields));
        assertThat(resolved.address()).isEqualTo(ip(expected));
    }

    @Test
    void chainRunsFromClientToPeerWithoutSpoofedEntries() {
        ClientAddress resolved = ClientAddressResolver.resolve(from("10.0.0.1"),
                xff("6.6.6.6, 198.51.100.7, 10.0.0.2"));
        assertThat(resolved.chain()).containsExactly(ip("198.51.100.7"), ip("10.0.0.2"), ip("10.0.0.1"));
        assertThat(resolved.viaTrustedProxy()).isTrue();
    }

    @Test
    void untrustedPeerChainIsThePeerAlone() {
        ClientAddress resolved = ClientAddressResolver.resolve(from("203.0.113.9"), xff("10.0.0.2"));
        assertThat(resolved.chain()).containsExactly(ip("203.0.113.9"));
        assertThat(resolved.viaTrustedProxy()).isFalse();
    }

    @Test
    void stopsAfterMaxHops() {
        String many = String.join(", ", java.util.Collections.nCopies(100, "10.0.0.7"));
        ClientAddress resolved = ClientAddressResolver.resolve(from("10.0.0.1"), xff("6.6.6.6, " + many));
        assertThat(resolved.address()).isEqualTo(ip("10.0.0.7"));
        assertThat(resolved.chain()).hasSize(ClientAddressResolver.MAX_HOPS + 1);
    }
}
