package org.portcullis.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.portcullis.config.Cidr;

/**
 * The network a sign-in came from, for the report's "sign-in from a network the user never used before": the /24 of
 * an IPv4 address (a typical customer or office LAN) and the /64 of an IPv6 address (one subnet, RFC 4291 §2.5.4 and
 * RFC 7421), so a new DHCP lease on the same network is not flagged but a different network is.
 */
final class SignInNetwork {
    static final int IPV4_PREFIX = 24;
    static final int IPV6_PREFIX = 64;

    private SignInNetwork() {
    }

    /** {@code 10.1.2.0/24} or {@code 2001:db8:1:2:0:0:0:0/64}; null when {@code ip} is not a numeric address. */
    static String of(String ip) {
        if (ip == null) {
            return null;
        }
        try {
            Cidr.parse(ip); // numeric only: a name in an edited line never causes a DNS lookup
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ip.indexOf('/') >= 0) {
            return null;
        }
        byte[] address;
        try {
            address = InetAddress.getByName(ip).getAddress(); // a literal, checked above: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
        int prefix = address.length == 4 ? IPV4_PREFIX : IPV6_PREFIX;
        for (int i = prefix / 8; i < address.length; i++) {
            address[i] = 0;
        }
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
