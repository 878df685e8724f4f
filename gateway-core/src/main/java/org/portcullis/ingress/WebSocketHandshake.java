package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Base64;
import java.util.List;

/**
 * Validates a WebSocket opening handshake request (RFC 6455 §4.1, §4.2.1; SECURITY-RULES 5). A request is an attempt
 * when any Upgrade field mentions {@code websocket}; an attempt must then be exactly right, or it is refused with
 * {@link RejectReason#INVALID_WEBSOCKET_UPGRADE} instead of being passed on as something the upstream might read as
 * an upgrade anyway:
 * <ul>
 *   <li>GET over HTTP/1.1;</li>
 *   <li>one Upgrade field whose value is exactly {@code websocket} (case-insensitive), and Connection lists
 *       {@code upgrade};</li>
 *   <li>one {@code Sec-WebSocket-Version: 13};</li>
 *   <li>one {@code Sec-WebSocket-Key} that is the base64 of exactly 16 bytes;</li>
 *   <li>no request body (no Transfer-Encoding, Content-Length absent or 0): bytes after the head of an upgrade
 *       request would be read as frames by one side and as a body by the other (upgrade smuggling).</li>
 * </ul>
 * Whether the tunnel opens is still decided by the proxy, after a 101 with a valid {@code Sec-WebSocket-Accept}.
 */
public final class WebSocketHandshake {
    static final String WEBSOCKET = "websocket";
    /** The RD Gateway's OUT channel method, which also opens its WebSocket transport. */
    public static final String RDG_OUT_DATA = "RDG_OUT_DATA";
    private static final String VERSION_13 = "13";
    private static final int KEY_BYTES = 16;
    private static final int KEY_BASE64_LENGTH = 24;
    private static final String SEC_WEBSOCKET_KEY = "Sec-WebSocket-Key";
    private static final String SEC_WEBSOCKET_VERSION = "Sec-WebSocket-Version";

    private WebSocketHandshake() {
    }

    /** True when any Upgrade field contains "websocket" in any case: then the request must pass {@link #check}. */
    public static boolean isAttempt(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.UPGRADE)) {
            return false; // the common case, answered without the list getAll makes
        }
        for (String value : headers.getAll(HttpHeaderNames.UPGRADE)) {
            if (containsIgnoreCase(value, WEBSOCKET)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param connectionHasUpgrade whether the Connection field lists the {@code upgrade} option
     */
    public static void check(String method, HttpVersion version, HttpHeaders headers, boolean connectionHasUpgrade)
            throws IngressRejection {
        // RDG_OUT_DATA opens the RD Gateway's WebSocket transport (MS-TSGU); DestinationStage admits it on the
        // gateway's RDG endpoint only and refuses it as an invalid upgrade everywhere else.
        if (!("GET".equals(method) || RDG_OUT_DATA.equals(method)) || !HttpVersion.HTTP_1_1.equals(version)) {
            reject("WebSocket upgrade must be GET over HTTP/1.1");
        }
        List<String> upgrade = headers.getAll(HttpHeaderNames.UPGRADE);
        if (upgrade.size() != 1 || !upgrade.get(0).trim().equalsIgnoreCase(WEBSOCKET) || !connectionHasUpgrade) {
            reject("Upgrade must be exactly 'websocket' and Connection must list 'upgrade'");
        }
        List<String> versions = headers.getAll(SEC_WEBSOCKET_VERSION);
        if (versions.size() != 1 || !versions.get(0).trim().equals(VERSION_13)) {
            reject("Sec-WebSocket-Version must be 13");
        }
        List<String> keys = headers.getAll(SEC_WEBSOCKET_KEY);
        boolean rdg = RDG_OUT_DATA.equals(method);
        if (keys.size() != 1 || !(rdg ? isRdgClientKey(keys.get(0).trim()) : isValidKey(keys.get(0).trim()))) {
            reject("Sec-WebSocket-Key must be base64 of 16 bytes");
        }
        String contentLength = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || (contentLength != null && !contentLength.trim().equals("0"))) {
            reject("WebSocket upgrade request must not have a body");
        }
    }

    /**
     * FreeRDP 2.x sends a 15-character key from {@code @A-Z[\\]^_}, not base64 of 16 bytes. Only for RDG_OUT_DATA, which
     * only the RD Gateway endpoint takes (elsewhere it is refused as an invalid upgrade), a key of 1 to 64 visible ASCII
     * characters is taken: the gateway answers the upgrade itself, nothing is forwarded.
     */
    static boolean isRdgClientKey(String key) {
        if (key.isEmpty() || key.length() > 64) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    static boolean isValidKey(String key) {
        if (key.length() != KEY_BASE64_LENGTH) {
            return false;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(key);
            // the strict decoder accepts non-zero padding bits; re-encoding catches them
            return decoded.length == KEY_BYTES && Base64.getEncoder().encodeToString(decoded).equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean containsIgnoreCase(String value, String needle) {
        int last = value.length() - needle.length();
        for (int i = 0; i <= last; i++) {
            if (value.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }

    private static void reject(String detail) throws IngressRejection {
        throw new IngressRejection(RejectReason.INVALID_WEBSOCKET_UPGRADE, detail);
    }
}
