package org.portcullis.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.List;
import org.portcullis.session.SessionCookie;

/**
 * Turns an upstream response head into the head the client receives (RFC 9110 §7.6.1): the upstream's hop-by-hop
 * headers (Connection and what it names, Keep-Alive, Proxy-Connection, TE, Trailer, Upgrade, Transfer-Encoding)
 * never reach the client, nor does a {@code Set-Cookie} for one of the gateway's own cookies; the gateway chooses the framing towards the client itself: Content-Length when the
 * upstream gave one, chunked for HTTP/1.1 clients otherwise, and close-delimited for HTTP/1.0 clients.
 */
final class ResponseHeaderFilter {
    /** An array of {@link AsciiString}s (which keep their hash): every response is cleaned of these. */
    private static final CharSequence[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("Proxy-Connection"),
        HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRANSFER_ENCODING,
        HttpHeaderNames.PROXY_AUTHENTICATE};
    private static final String CONTENT_LENGTH = HttpHeaderNames.CONTENT_LENGTH.toString();

    /** The head to write and whether the client connection must close after this response. */
    record Filtered(HttpResponse head, boolean closeAfter) {
    }

    private ResponseHeaderFilter() {
    }

    /**
     * @param bodyless true for responses that carry no body (HEAD, 204, 304)
     * @param clientKeepAlive whether the client asked to keep the connection
     */
    static Filtered forClient(HttpResponse upstream, HttpVersion clientVersion, boolean bodyless,
                              boolean clientKeepAlive) {
        // The decoded upstream response belongs to this exchange: its headers are edited in place.
        HttpHeaders out = upstream.headers();
        boolean hasLength = out.contains(HttpHeaderNames.CONTENT_LENGTH);
        removeHopByHop(out, out);
        removeGatewayCookies(out);
        boolean closeAfter = !clientKeepAlive;
        if (!bodyless && !hasLength) {
            if (clientVersion.equals(HttpVersion.HTTP_1_1)) {
                out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                closeAfter = true;
            }
        }
        if (closeAfter) {
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion.equals(HttpVersion.HTTP_1_0)) {
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        upstream.setProtocolVersion(HttpVersion.HTTP_1_1);
        return new Filtered(upstream, closeAfter);
    }

    /** Removes hop-by-hop headers, including every header the upstream's Connection names. */
    static void removeHopByHop(HttpHeaders in, HttpHeaders out) {
        if (!in.contains(HttpHeaderNames.CONNECTION)) {
            removeStandardHopByHop(out);
            return;
        }
        for (String connection : in.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase(CONTENT_LENGTH)) {
                    out.remove(name);
                }
            }
        }
        removeStandardHopByHop(out);
    }

    /**
     * Drops every {@code Set-Cookie} that names one of the gateway's cookies (SECURITY-RULES 11): an upstream may
     * neither set, fix nor delete a session. The upstream's own cookies pass unchanged.
     */
    static void removeGatewayCookies(HttpHeaders out) {
        if (!out.contains(HttpHeaderNames.SET_COOKIE)) {
            return;
        }
        List<String> values = out.getAll(HttpHeaderNames.SET_COOKIE);
        List<String> kept = values.stream().filter(v -> !SessionCookie.isGatewayCookie(v)).toList();
        if (kept.size() != values.size()) {
            out.set(HttpHeaderNames.SET_COOKIE, kept);
        }
    }

    private static void removeStandardHopByHop(HttpHeaders out) {
        for (CharSequence name : HOP_BY_HOP) {
            out.remove(name);
        }
    }

    /** True when the upstream connection may carry another request after this response. */
    static boolean upstreamKeepsAlive(HttpResponse upstream) {
        return upstream.protocolVersion().equals(HttpVersion.HTTP_1_1) && HttpUtil.isKeepAlive(upstream);
    }
}
