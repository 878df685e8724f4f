package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The one form of a request that the gateway routes, decides on and forwards (SECURITY-RULES 1). There is no second
 * parse: the forwarded head is made from {@link #forwardTarget()} and {@link #headers()} exactly as they are here.
 * Nothing edits it once made: its headers are read-only (the head sent upstream is a copy, see
 * {@code admission.IdentityStage}).
 *
 * @param method        upper-case token, never CONNECT
 * @param tls           true when the client connected over TLS (directly, or to a trusted proxy that said so in
 *                      X-Forwarded-Proto, see {@link SchemeResolver})
 * @param host          canonical host: lower-case, no trailing dot, no port, IPv6 without brackets
 * @param port          the port the client addressed (from Host, or the scheme default)
 * @param path          the decoded canonical path: starts with '/', no dot segments, no '//', only printable ASCII
 * @param query         the raw query after '?', validated, or null when there was no '?'
 * @param version       HTTP/1.0 or HTTP/1.1
 * @param headers       the client's headers after stripping hop-by-hop, override, forwarding and identity headers
 *                      ({@link HeaderSanitizer}), plus the canonical Host and the gateway's own X-Forwarded-For,
 *                      X-Forwarded-Proto, X-Forwarded-Host and Forwarded ({@link ForwardingHeaders}); read-only. The
 *                      gateway's identity headers are added to the forwarded copy, after the policy decision
 * @param peer          the socket peer
 * @param clientAddress the peer, or the right-most untrusted X-Forwarded-For hop when the peer is a trusted proxy
 * @param websocketUpgrade true when this is a validated WebSocket upgrade request
 */
public record CanonicalRequest(
        String method,
        boolean tls,
        String host,
        int port,
        String path,
        String query,
        HttpVersion version,
        HttpHeaders headers,
        InetSocketAddress peer,
        InetAddress clientAddress,
        boolean websocketUpgrade) {

    public CanonicalRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(version, "version");
        headers = readOnly(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(clientAddress, "clientAddress");
    }

    /** {@code headers} as a read-only copy, so no stage can change what the policy decided on. */
    private static HttpHeaders readOnly(HttpHeaders headers) {
        if (headers instanceof ReadOnlyHttpHeaders) {
            return headers;
        }
        CharSequence[] pairs = new CharSequence[headers.size() * 2];
        int i = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            pairs[i++] = header.getKey();
            pairs[i++] = header.getValue();
        }
        return new ReadOnlyHttpHeaders(false, pairs);
    }

    public String scheme() {
        return tls ? "https" : "http";
    }

    /** The origin-form target sent upstream: the canonical path, percent-encoded again, plus the raw query. */
    public String forwardTarget() {
        String encoded = PathEncoding.encode(path);
        return query == null ? encoded : encoded + "?" + query;
    }

    /** Host with the port when it is not the scheme default, as sent in X-Forwarded-Host and Host. */
    public String authority() {
        return authority(host, port, tls);
    }

    /** The authority of {@code host} and {@code port} for the scheme of {@code tls}. */
    public static String authority(String host, int port, boolean tls) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        boolean defaultPort = (tls && port == 443) || (!tls && port == 80);
        return defaultPort ? h : h + ":" + port;
    }
}
