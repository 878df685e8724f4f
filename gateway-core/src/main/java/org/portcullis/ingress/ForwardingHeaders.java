package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Adds the gateway's own forwarding headers after {@link HeaderSanitizer} removed every client copy (SECURITY-RULES 6,
 * 7). The values come only from the connection and the canonical request:
 * <ul>
 *   <li>{@code X-Forwarded-For}: the resolved client, then each trusted proxy, then the socket peer
 *       ({@link ClientAddress#chain()}). Entries a client wrote left of the right-most untrusted address are
 *       <em>not</em> passed on, because many upstreams take the left-most entry as the client.</li>
 *   <li>{@code X-Forwarded-Proto}: {@code http} or {@code https}.</li>
 *   <li>{@code X-Forwarded-Host}: the canonical authority (host, and the port when not the default).</li>
 *   <li>{@code Forwarded} (RFC 7239 §4): one element {@code for=client;proto=scheme;host=authority}; an IPv6
 *       {@code for} is bracketed and quoted, a host with a port or brackets is quoted (RFC 7239 §6).</li>
 * </ul>
 */
public final class ForwardingHeaders {
    private static final String SEPARATOR = ", ";

    private ForwardingHeaders() {
    }

    /**
     * Sets the forwarding headers of a request from {@code client} over {@code tls} to {@code authority} (as
     * {@link CanonicalRequest#authority} makes it); {@code chain} is the X-Forwarded-For chain to send.
     */
    public static void add(HttpHeaders out, InetAddress client, boolean tls, String authority,
                           List<InetAddress> chain) {
        String clientText = NetUtil.toAddressString(client);
        String xff;
        if (chain.size() == 1 && chain.get(0).equals(client)) {
            xff = clientText; // the common case, a client without trusted proxies: its address is written once
        } else {
            StringBuilder list = new StringBuilder(chain.size() * 16);
            for (int i = 0; i < chain.size(); i++) {
                if (i > 0) {
                    list.append(SEPARATOR);
                }
                list.append(NetUtil.toAddressString(chain.get(i)));
            }
            xff = list.toString();
        }
        String scheme = tls ? "https" : "http";
        out.set(GatewayHeaderNames.X_FORWARDED_FOR, xff);
        out.set(GatewayHeaderNames.X_FORWARDED_PROTO, scheme);
        out.set(GatewayHeaderNames.X_FORWARDED_HOST, authority);
        out.set(GatewayHeaderNames.FORWARDED, forwardedElement(client, clientText, scheme, authority));
    }

    private static String forwardedElement(InetAddress client, String address, String scheme, String authority) {
        StringBuilder element = new StringBuilder(64).append("for=");
        if (client instanceof Inet6Address) {
            element.append("\"[").append(address).append("]\"");
        } else {
            element.append(address);
        }
        element.append(";proto=").append(scheme).append(";host=");
        if (authority.indexOf(':') >= 0 || authority.indexOf('[') >= 0) {
            element.append('"').append(authority).append('"');
        } else {
            element.append(authority);
        }
        return element.toString();
    }
}
