package org.portcullis.ingress;

import io.netty.util.AsciiString;
import java.util.List;

/**
 * The header names the front door treats specially, one list per reason, written in their usual spelling. Matching
 * is done by {@link HeaderNameSet}: case-insensitive, and with '_' and any other non-alphanumeric character read as
 * '-'.
 */
public final class GatewayHeaderNames {
    /**
     * Hop-by-hop headers (RFC 9110 §7.6.1, RFC 9112 §7, RFC 7540 §3.2.1): they describe the client's connection, not
     * the request, and are removed before forwarding. The gateway writes its own framing and upgrade headers.
     * "Close" is a reserved field name (RFC 9110 §18.4).
     */
    public static final List<String> HOP_BY_HOP = List.of(
            "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
            "Proxy-Authorization", "Proxy-Authenticate", "HTTP2-Settings", "Close");

    /**
     * Headers through which a client could override the URL, method, scheme, host or client address an upstream
     * framework uses (SECURITY-RULES 8). IIS URL Rewrite and Symfony/Laravel honour {@code X-Original-URL} and
     * {@code X-Rewrite-URL}, many frameworks honour the method overrides. They are dropped; the gateway adds its own
     * X-Forwarded-For/-Proto/-Host and Forwarded afterwards.
     */
    public static final List<String> CLIENT_OVERRIDE = List.of(
            "X-Original-URL", "X-Rewrite-URL", "X-Original-URI", "X-Forwarded-Prefix", "X-Forwarded-Uri",
            "X-Forwarded-Path", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
            "X-Forwarded-Server", "X-Host", "X-Forwarded-Port", "X-Forwarded-Scheme", "X-Forwarded-Ssl",
            "X-Url-Scheme", "Front-End-Https", "X-Real-IP", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP",
            "X-Cluster-Client-IP", "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host");

    /**
     * Identity headers that the gateway sets now or may set (its own, and the names of oauth2-proxy, Authelia,
     * Apache and nginx auth_request setups that legacy upstreams read). Every client copy is removed
     * (SECURITY-RULES 6). Any name starting with {@link #GATEWAY_PREFIX} is removed as well.
     */
    public static final List<String> IDENTITY = List.of(
            "Remote-User", "Remote-Groups", "Remote-Email", "Remote-Name", "X-Remote-User", "X-Remote-Groups",
            "X-Remote-Email", "X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Groups", "X-Forwarded-Name",
            "X-Forwarded-Preferred-Username", "X-Forwarded-Access-Token", "X-Auth-Request-User",
            "X-Auth-Request-Email", "X-Auth-Request-Groups", "X-Auth-Request-Preferred-Username",
            "X-Auth-Request-Access-Token", "X-Authenticated-User", "X-WEBAUTH-USER");

    /** Prefix of the gateway's own headers; every client header with it is removed. */
    public static final String GATEWAY_PREFIX = "X-Portcullis-";

    /**
     * Headers a {@code Connection} option may not name (SECURITY-RULES 7): removing them as "hop-by-hop" would change
     * framing (request smuggling), drop the Host the policy decided on, drop credentials, or make a downstream proxy
     * drop the identity and forwarding headers the gateway adds. Identity names, the gateway prefix and every
     * {@code X-Forwarded-} name are protected as well.
     */
    public static final List<String> PROTECTED_FROM_CONNECTION = List.of(
            "Host", "Content-Length", "Transfer-Encoding", "Cookie", "Authorization", "Forwarded", "X-Real-IP");

    /** Prefix of the forwarding headers that a Connection option may not name. */
    public static final String FORWARDED_PREFIX = "X-Forwarded-";

    /** WebSocket handshake headers (RFC 6455 §11.3); removed unless the request is a valid upgrade. */
    public static final String WEBSOCKET_PREFIX = "Sec-WebSocket-";

    /** The forwarding headers the gateway writes (Netty has no constants for them). */
    public static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    public static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    public static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    public static final AsciiString FORWARDED = AsciiString.cached("forwarded");

    private GatewayHeaderNames() {
    }
}
