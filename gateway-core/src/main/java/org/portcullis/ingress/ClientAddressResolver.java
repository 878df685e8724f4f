package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.config.Cidr;

/**
 * Decides who the client is (SECURITY-RULES 6). Every client can write any X-Forwarded-For it likes, so the header is
 * believed only as far as a chain of configured trusted proxies vouches for it:
 *
 * <ul>
 *   <li>Peer not in {@code trusted_proxies}: the peer is the client; X-Forwarded-For is ignored.</li>
 *   <li>Peer trusted: all X-Forwarded-For fields, read as one comma list, are walked from the right. Trusted
 *       addresses are skipped; the first untrusted address is the client. If every entry is trusted, the left-most
 *       is the client.</li>
 *   <li>An entry that is not a plain IPv4/IPv6 address (optionally with a port, IPv6 optionally bracketed, as
 *       Azure and some load balancers write them) stops the walk: the last trusted address read (or the peer) is the
 *       client. Fail closed: an address left of garbage was written by someone no trusted proxy vouched for.</li>
 *   <li>At most {@value #MAX_HOPS} entries are read.</li>
 * </ul>
 *
 * <p>{@code Forwarded} (RFC 7239) is not read: the trusted proxies in the deployments this gateway targets (nginx,
 * HAProxy, cloud load balancers) append to X-Forwarded-For and pass a client's {@code Forwarded} through untouched,
 * so reading both would let a client pick whichever one its proxy does not maintain. Both are stripped and
 * rewritten by the gateway.
 *
 * <p>No name is ever resolved: entries are parsed as numeric addresses only.
 */
public final class ClientAddressResolver {
    static final int MAX_HOPS = 32;

    private ClientAddressResolver() {
    }

    public static ClientAddress resolve(ConnectionInfo connection, HttpHeaders headers) {
        InetAddress peer = connection.peer().getAddress();
        List<Cidr> trusted = connection.trustedProxies();
        if (!isTrusted(peer, trusted)) {
            return new ClientAddress(peer, List.of(peer), false);
        }
        List<String> fields = headers.getAll(GatewayHeaderNames.X_FORWARDED_FOR);
        List<InetAddress> walked = new ArrayList<>(4);
        InetAddress client = peer;
        walk:
        for (int f = fields.size() - 1; f >= 0; f--) {
            String field = fields.get(f);
            int end = field.length();
            while (end >= 0) {
                int comma = field.lastIndexOf(',', end - 1);
                InetAddress hop = parseEntry(field, comma + 1, end);
                if (hop == null || walked.size() == MAX_HOPS) {
                    break walk;
                }
                walked.add(hop);
                client = hop;
                if (!isTrusted(hop, trusted)) {
                    break walk;
                }
                end = comma;
            }
        }
        List<InetAddress> chain = new ArrayList<>(walked.size() + 1);
        for (int i = walked.size() - 1; i >= 0; i--) {
            chain.add(walked.get(i));
        }
        chain.add(peer);
        return new ClientAddress(client, chain, true);
    }

    static boolean isTrusted(InetAddress address, List<Cidr> trusted) {
        for (int i = 0; i < trusted.size(); i++) {
            if (trusted.get(i).contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** One X-Forwarded-For entry in {@code [from, to)}, or null when it is not a numeric address. */
    static InetAddress parseEntry(String field, int from, int to) {
        while (from < to && (field.charAt(from) == ' ' || field.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (field.charAt(to - 1) == ' ' || field.charAt(to - 1) == '\t')) {
            to--;
        }
        if (from >= to) {
            return null;
        }
        String entry = field.substring(from, to);
        String literal;
        if (entry.charAt(0) == '[') {
            int close = entry.indexOf(']');
            if (close < 0 || !isPortSuffix(entry, close + 1)) {
                return null;
            }
            literal = entry.substring(1, close);
        } else {
            int colon = entry.indexOf(':');
            if (colon >= 0 && entry.indexOf(':', colon + 1) < 0) {
                if (!isPortSuffix(entry, colon)) {
                    return null;
                }
                literal = entry.substring(0, colon);
            } else {
                literal = entry;
            }
        }
        return parseNumeric(literal);
    }

    private static boolean isPortSuffix(String s, int from) {
        if (from == s.length()) {
            return true;
        }
        if (s.charAt(from) != ':' || from + 1 == s.length() || s.length() - from - 1 > 5) {
            return false;
        }
        for (int i = from + 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static InetAddress parseNumeric(String literal) {
        byte[] bytes = null;
        if (literal.indexOf(':') >= 0) {
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                        || c == ':' || c == '.')) {
                    return null;
                }
            }
            if (NetUtil.isValidIpV6Address(literal)) {
                bytes = NetUtil.createByteArrayFromIpAddressString(literal);
            }
        } else if (HostCanonicalizer.isCanonicalIpv4(literal)) {
            bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        }
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
