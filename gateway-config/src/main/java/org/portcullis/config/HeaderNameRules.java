package org.portcullis.config;

import java.util.List;
import java.util.Locale;

/**
 * Which header names a route may configure for identity headers and the JWT assertion.
 *
 * <p>A name must be an RFC 9110 §5.1 token, and must not be a name whose meaning the gateway or an upstream already
 * gives it: an identity value written into {@code Content-Length}, {@code Host}, {@code Cookie} or
 * {@code X-Original-URL} would change framing, routing, credentials or the URL an IIS upstream serves. Names compare
 * the way {@code org.portcullis.ingress.HeaderNameSet} does: ASCII case-insensitive, and every character other than
 * a letter or digit read as '-' ({@code X_Forwarded_For} is {@code X-Forwarded-For}), because that is how CGI-style
 * upstreams read them.
 *
 * <p>{@link #RESERVED} holds the gateway's hop-by-hop, client-override and Connection-protected lists
 * ({@code org.portcullis.ingress.GatewayHeaderNames}, which this module cannot see) plus the message and
 * credential headers; a gateway-core test checks that it still covers those lists.
 */
public final class HeaderNameRules {
    /** Names that are never identity headers, in their usual spelling. */
    public static final List<String> RESERVED = List.of(
            // framing, message and hop-by-hop (RFC 9110 §7.6.1, §8; RFC 9112 §6-7)
            "Host", "Content-Length", "Transfer-Encoding", "Content-Type", "Content-Encoding", "Content-Range",
            "Content-Location", "Expect", "Range", "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
            "Upgrade", "HTTP2-Settings", "Close", "Via", "Max-Forwards", "Origin", "Referer",
            // credentials and the gateway's cookies
            "Cookie", "Set-Cookie", "Authorization", "Proxy-Authorization", "Proxy-Authenticate", "WWW-Authenticate",
            // forwarding headers the gateway writes, and URL/method overrides (SECURITY-RULES 8)
            "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP",
            "X-Original-URL", "X-Rewrite-URL", "X-Original-URI", "X-Forwarded-Prefix", "X-Forwarded-Uri",
            "X-Forwarded-Path", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
            "X-Forwarded-Server", "X-Host", "X-Forwarded-Port", "X-Forwarded-Scheme", "X-Forwarded-Ssl",
            "X-Url-Scheme", "Front-End-Https", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP",
            "X-Cluster-Client-IP");

    /** Name prefixes that are never identity headers: WebSocket handshake headers (RFC 6455 §11.3). */
    public static final List<String> RESERVED_PREFIXES = List.of("Sec-WebSocket-", "Sec-Fetch-");

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final List<String> RESERVED_NORMALIZED = RESERVED.stream().map(HeaderNameRules::normalize).toList();
    private static final List<String> PREFIXES_NORMALIZED =
            RESERVED_PREFIXES.stream().map(HeaderNameRules::normalize).toList();

    private HeaderNameRules() {
    }

    /** RFC 9110 §5.6.2: {@code token = 1*tchar}. */
    public static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code name}, in any spelling, is reserved. */
    public static boolean isReserved(String name) {
        String normalized = normalize(name);
        return RESERVED_NORMALIZED.contains(normalized)
                || PREFIXES_NORMALIZED.stream().anyMatch(normalized::startsWith);
    }

    /** Lower case, every character other than a letter or digit as '-'; two names are one when this is equal. */
    public static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            out.append(alnum ? c : '-');
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
