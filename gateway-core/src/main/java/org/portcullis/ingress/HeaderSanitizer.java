package org.portcullis.ingress;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds the header set the gateway forwards from the headers the client sent (SECURITY-RULES 5, 6, 7, 8). The
 * client's headers are never modified; a new set is built.
 *
 * <ol>
 *   <li><b>Connection first</b> (RFC 9110 §7.6.1): every option must be a token
 *       ({@link RejectReason#MALFORMED_HEADER}); an option naming Host, Content-Length, Transfer-Encoding, Cookie,
 *       Authorization, Forwarded, X-Real-IP, any {@code X-Forwarded-*}, identity or {@code X-Portcullis-*} header is
 *       refused ({@link RejectReason#CONNECTION_NAMES_PROTECTED_HEADER}): a proxy honouring it would drop framing
 *       (smuggling), credentials, or the headers the gateway adds — the "hop-by-hop header abuse" class. Headers
 *       named by the other options are removed as hop-by-hop.</li>
 *   <li>The standard hop-by-hop headers in {@link GatewayHeaderNames#HOP_BY_HOP} are removed.</li>
 *   <li>Client override headers ({@link GatewayHeaderNames#CLIENT_OVERRIDE}) are removed: they never influence a
 *       decision nor reach the upstream.</li>
 *   <li>Identity headers ({@link GatewayHeaderNames#IDENTITY}, {@code X-Portcullis-*}, and the configured extra
 *       names) are removed in every spelling: any case, '_' or another odd character for '-', every duplicate.</li>
 *   <li>WebSocket: a valid upgrade ({@link WebSocketHandshake}) keeps {@code Upgrade: websocket},
 *       {@code Connection: Upgrade} and the {@code Sec-WebSocket-*} headers; a malformed attempt is refused. Any
 *       other Upgrade (h2c included, with HTTP2-Settings) is simply removed and the request goes on as plain
 *       HTTP/1.1, so an upstream can never be switched to h2c behind the gateway's back (h2c smuggling).
 *       {@code Sec-WebSocket-*} headers on a request that is not an upgrade are removed.</li>
 *   <li>A chunked body is forwarded chunked: the client's Transfer-Encoding (already checked to be exactly
 *       {@code chunked}) is replaced by the gateway's own {@code Transfer-Encoding: chunked}.</li>
 * </ol>
 * Look-alikes of Content-Length ({@code Content_Length}, {@code Content.Length}) are removed; the strict decoder
 * already refuses them (FRAMING_FIELD_LOOKALIKE), so this only keeps the sanitizer safe on its own.
 * {@code Expect}, {@code Cookie} and {@code Authorization} are kept; the session layer removes the gateway's own
 * cookie. The Host header is left out: the facade sets the canonical one.
 */
public final class HeaderSanitizer {
    private static final String CLOSE = "close";
    private static final String UPGRADE = "upgrade";
    private static final String CONTENT_LENGTH = "content-length";
    private static final HeaderNameSet HOP_BY_HOP = new HeaderNameSet(GatewayHeaderNames.HOP_BY_HOP);
    private static final HeaderNameSet CLIENT_OVERRIDE = new HeaderNameSet(GatewayHeaderNames.CLIENT_OVERRIDE);
    private static final HeaderNameSet PROTECTED = new HeaderNameSet(GatewayHeaderNames.PROTECTED_FROM_CONNECTION);
    private static final String GATEWAY_PREFIX = HeaderNameSet.normalize(GatewayHeaderNames.GATEWAY_PREFIX);
    private static final String FORWARDED_PREFIX = HeaderNameSet.normalize(GatewayHeaderNames.FORWARDED_PREFIX);
    private static final String WEBSOCKET_PREFIX = HeaderNameSet.normalize(GatewayHeaderNames.WEBSOCKET_PREFIX);

    private final HeaderNameSet identity;

    /** @param extraIdentityHeaders further identity header names the deployment sets (from the config) */
    public HeaderSanitizer(Collection<String> extraIdentityHeaders) {
        List<String> all = new ArrayList<>(GatewayHeaderNames.IDENTITY);
        all.addAll(extraIdentityHeaders);
        this.identity = new HeaderNameSet(all);
    }

    public SanitizedHeaders sanitize(String method, HttpVersion version, HttpHeaders client)
            throws IngressRejection {
        List<String> declaredHopByHop = null;
        boolean connectionHasUpgrade = false;
        List<String> connectionFields = client.contains(HttpHeaderNames.CONNECTION)
                ? client.getAll(HttpHeaderNames.CONNECTION) : List.of();
        for (String value : connectionFields) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String option = trimOws(value, start, end);
                start = end + 1;
                if (option.isEmpty()) {
                    continue;
                }
                rejectConnectionOption(option);
                if (option.equalsIgnoreCase(UPGRADE)) {
                    connectionHasUpgrade = true;
                }
                if (!HOP_BY_HOP.contains(option)) {
                    if (declaredHopByHop == null) {
                        declaredHopByHop = new ArrayList<>(2);
                    }
                    declaredHopByHop.add(HeaderNameSet.normalize(option));
                }
            }
        }

        boolean websocket = WebSocketHandshake.isAttempt(client);
        if (websocket) {
            WebSocketHandshake.check(method, version, client, connectionHasUpgrade);
        }

        HttpHeaders out = new DefaultHttpHeaders();
        Iterator<Map.Entry<CharSequence, CharSequence>> it = client.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            if (isForwardable(name, declaredHopByHop, websocket)) {
                addValidated(out, name, header.getValue());
            }
        }
        if (websocket) {
            out.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else if (client.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return new SanitizedHeaders(out, websocket);
    }

    /**
     * The output set validates names and values (no CR, LF, NUL; RFC 9110 §5.5). The strict decoder already refused
     * such bytes; should one get through anyway, the request is refused rather than a header split upstream.
     */
    private static void addValidated(HttpHeaders out, CharSequence name, CharSequence value)
            throws IngressRejection {
        try {
            out.add(name, value);
        } catch (IllegalArgumentException e) {
            throw new IngressRejection(RejectReason.CONTROL_CHAR_IN_HEADER, "header not fit to forward");
        }
    }

    /** True for headers a client may set and the gateway never sets itself. */
    private boolean isForwardable(CharSequence name, List<String> declaredHopByHop, boolean websocket) {
        if (HOP_BY_HOP.contains(name) || CLIENT_OVERRIDE.contains(name) || isIdentity(name)
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name) || isFramingLookalike(name)) {
            return false;
        }
        if (!websocket && HeaderNameSet.hasNormalizedPrefix(name, WEBSOCKET_PREFIX)) {
            return false;
        }
        if (declaredHopByHop != null) {
            for (String declared : declaredHopByHop) {
                if (HeaderNameSet.normalizedEquals(declared, name)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {@code Content_Length} spellings: not framing to the gateway, but an upstream that maps '_' to '-'
     * (CGI-style) could read them as the real thing.
     */
    private static boolean isFramingLookalike(CharSequence name) {
        return HeaderNameSet.normalizedEquals(CONTENT_LENGTH, name)
                && !HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name);
    }

    private boolean isIdentity(CharSequence name) {
        return identity.contains(name) || HeaderNameSet.hasNormalizedPrefix(name, GATEWAY_PREFIX);
    }

    private void rejectConnectionOption(String option) throws IngressRejection {
        if (!HttpTokens.isToken(option)) {
            throw new IngressRejection(RejectReason.MALFORMED_HEADER, "Connection option is not a token");
        }
        if (option.equalsIgnoreCase(CLOSE) || option.equalsIgnoreCase(UPGRADE)) {
            return;
        }
        if (PROTECTED.contains(option) || isIdentity(option)
                || HeaderNameSet.hasNormalizedPrefix(option, FORWARDED_PREFIX)) {
            throw new IngressRejection(RejectReason.CONNECTION_NAMES_PROTECTED_HEADER,
                    "Connection names a framing, credential, forwarding or identity header");
        }
    }

    private static String trimOws(String s, int start, int end) {
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }
}
