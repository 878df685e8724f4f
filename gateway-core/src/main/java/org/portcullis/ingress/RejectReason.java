package org.portcullis.ingress;

/**
 * Why the front door refused a request. Carried by every refusal into logs, audit events and tests; the client only
 * sees the status code and a constant page. Framing problems close the connection, because after them the gateway
 * can no longer know where the next request starts.
 */
public enum RejectReason {
    // --- framing (SECURITY-RULES 3): always 400 and close ---
    MALFORMED_REQUEST_LINE(400, true),
    UNSUPPORTED_HTTP_VERSION(505, true),
    MALFORMED_HEADER(400, true),
    WHITESPACE_BEFORE_COLON(400, true),
    OBS_FOLD(400, true),
    BARE_CR(400, true),
    BARE_LF(400, true),
    CONTROL_CHAR_IN_HEADER(400, true),
    CONTENT_LENGTH_AND_TRANSFER_ENCODING(400, true),
    INVALID_CONTENT_LENGTH(400, true),
    MULTIPLE_CONTENT_LENGTH(400, true),
    UNSUPPORTED_TRANSFER_ENCODING(501, true),
    MALFORMED_CHUNK(400, true),
    MISSING_HOST(400, true),
    MULTIPLE_HOST(400, true),
    REQUEST_LINE_TOO_LONG(414, true),
    HEADERS_TOO_LARGE(431, true),
    TOO_MANY_HEADERS(431, true),
    BODY_TOO_LARGE(413, true),
    HEADER_READ_TIMEOUT(408, true),
    BODY_READ_TIMEOUT(408, true),
    /** RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means the framing is faulty. */
    TRANSFER_ENCODING_IN_HTTP10(400, true),
    /** A name that is Content-Length or Transfer-Encoding to an upstream mapping '_' to '-' ({@code Content_Length}). */
    FRAMING_FIELD_LOOKALIKE(400, true),
    /** Framing, routing or connection-control fields in a chunked body's trailer section (RFC 9110 §6.5.1). */
    FORBIDDEN_TRAILER(400, true),
    /** A GET or HEAD request with a body on a route without {@code allow_body_on_get}. */
    BODY_ON_GET_OR_HEAD(400, true),

    // --- target and host (SECURITY-RULES 2, 9) ---
    ENCODED_SLASH(400, false),
    ENCODED_BACKSLASH(400, false),
    BACKSLASH(400, false),
    CONTROL_CHAR_IN_PATH(400, false),
    DOUBLE_ENCODING(400, false),
    PATH_PARAMETER(400, false),
    FRAGMENT(400, false),
    NON_ASCII(400, false),
    INVALID_PERCENT_ENCODING(400, false),
    PATH_ABOVE_ROOT(400, false),
    INVALID_TARGET(400, false),
    INVALID_QUERY(400, false),
    INVALID_HOST(400, false),
    ABSOLUTE_FORM_HOST_MISMATCH(400, false),
    /** Host names a port that no listener serves for the request's scheme (never forwarded with that port). */
    UNSERVED_PORT(400, false),
    FORWARD_PROXY_REQUEST(400, false),
    CONNECT_METHOD(405, false),
    INVALID_METHOD(400, false),
    /** TRACE (and IIS's TRACK) echo the request, including headers the gateway adds, back to the client (XST). */
    TRACE_METHOD(405, false),

    // --- headers (SECURITY-RULES 5, 7) ---
    CONNECTION_NAMES_PROTECTED_HEADER(400, false),
    INVALID_WEBSOCKET_UPGRADE(400, false),
    WEBSOCKET_ORIGIN_REFUSED(403, false),
    EXPECTATION_FAILED(417, false),

    // --- routing and limits ---
    NO_ROUTE(404, false),
    TOO_MANY_CONNECTIONS(503, true);

    private final int status;
    private final boolean closesConnection;

    RejectReason(int status, boolean closesConnection) {
        this.status = status;
        this.closesConnection = closesConnection;
    }

    /** The HTTP status the client receives. */
    public int status() {
        return status;
    }

    /** True when the connection must be closed after the refusal (framing can no longer be trusted). */
    public boolean closesConnection() {
        return closesConnection;
    }
}
