package org.portcullis.http1;

import org.portcullis.config.LimitsConfig;

/**
 * Size bounds applied by the HTTP/1 decoders (SECURITY-RULES 19). Each bound caps how many bytes one message may make
 * the gateway buffer before it is refused, so a slow or hostile peer costs at most these many bytes per connection.
 *
 * @param maxStartLineBytes longest request line (or status line), CRLF excluded; longer → REQUEST_LINE_TOO_LONG
 * @param maxHeaderBytes    total bytes of the field section including every CRLF and the final empty line; trailer
 *                          fields of a chunked body count towards the same budget; more → HEADERS_TOO_LARGE
 * @param maxHeaders        number of field lines, trailers included; more → TOO_MANY_HEADERS
 * @param maxBodyBytes      default request body limit; a routing handler may change it for one request with
 *                          {@link StrictHttpRequestDecoder#setBodyLimit(long)}. Response decoders ignore it.
 */
public record Http1Limits(int maxStartLineBytes, int maxHeaderBytes, int maxHeaders, long maxBodyBytes) {

    /** Upstream responses may carry large cookies and CSP headers; 64 KiB is what nginx accepts with large buffers. */
    public static final int DEFAULT_RESPONSE_HEADER_BYTES = 64 * 1024;

    public Http1Limits {
        requirePositive(maxStartLineBytes, "maxStartLineBytes");
        requirePositive(maxHeaderBytes, "maxHeaderBytes");
        requirePositive(maxHeaders, "maxHeaders");
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("Http1Limits: maxBodyBytes must be >= 0 but is " + maxBodyBytes);
        }
    }

    /** The request limits of the gateway configuration. */
    public static Http1Limits from(LimitsConfig limits) {
        return new Http1Limits(limits.maxRequestLineBytes(), limits.maxHeaderBytes(), limits.maxHeaders(),
                limits.maxBodyBytes());
    }

    /** Request limits matching {@link LimitsConfig#defaults()}. */
    public static Http1Limits requestDefaults() {
        return from(LimitsConfig.defaults());
    }

    /** Limits for upstream responses: 8 KiB status line, 64 KiB of headers, 200 fields, no body limit. */
    public static Http1Limits responseDefaults() {
        return new Http1Limits(8192, DEFAULT_RESPONSE_HEADER_BYTES, 200, Long.MAX_VALUE);
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException("Http1Limits: " + name + " must be > 0 but is " + value);
        }
    }
}
