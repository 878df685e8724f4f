package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Defence in depth for the framing rules of SECURITY-RULES 3, which the strict decoder already enforces on the bytes.
 * They are checked again on the parsed head because a request whose framing is ambiguous must never be forwarded,
 * whatever decoder produced it (Netty's own accepts Content-Length with Transfer-Encoding, and a missing Host):
 * <ul>
 *   <li>HTTP/1.0 or HTTP/1.1 only ({@link RejectReason#UNSUPPORTED_HTTP_VERSION}, 505).</li>
 *   <li>HTTP/1.1 needs exactly one Host (RFC 9112 §3.2: {@link RejectReason#MISSING_HOST},
 *       {@link RejectReason#MULTIPLE_HOST}); HTTP/1.0 at most one.</li>
 *   <li>Content-Length and Transfer-Encoding together are refused (RFC 9112 §6.1, the CL.TE / TE.CL smuggling
 *       class); Transfer-Encoding must be one field, exactly {@code chunked}, and only on HTTP/1.1
 *       ({@link RejectReason#UNSUPPORTED_TRANSFER_ENCODING}); Content-Length must be one field of digits
 *       ({@link RejectReason#MULTIPLE_CONTENT_LENGTH}, {@link RejectReason#INVALID_CONTENT_LENGTH}).</li>
 * </ul>
 * All of these close the connection.
 */
public final class FramingCheck {
    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private FramingCheck() {
    }

    public static void check(HttpVersion version, HttpHeaders headers) throws IngressRejection {
        boolean http11 = HttpVersion.HTTP_1_1.equals(version);
        if (!http11 && !HttpVersion.HTTP_1_0.equals(version)) {
            throw new IngressRejection(RejectReason.UNSUPPORTED_HTTP_VERSION, "only HTTP/1.0 and HTTP/1.1");
        }
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            throw new IngressRejection(RejectReason.MULTIPLE_HOST, "more than one Host header");
        }
        if (http11 && hosts.isEmpty()) {
            throw new IngressRejection(RejectReason.MISSING_HOST, "HTTP/1.1 request without Host");
        }
        List<String> transferEncodings = all(headers, HttpHeaderNames.TRANSFER_ENCODING);
        List<String> contentLengths = all(headers, HttpHeaderNames.CONTENT_LENGTH);
        if (!transferEncodings.isEmpty() && !contentLengths.isEmpty()) {
            throw new IngressRejection(RejectReason.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
                    "both Content-Length and Transfer-Encoding");
        }
        if (!transferEncodings.isEmpty() && (!http11 || transferEncodings.size() != 1
                || !transferEncodings.get(0).equalsIgnoreCase("chunked"))) {
            throw new IngressRejection(RejectReason.UNSUPPORTED_TRANSFER_ENCODING,
                    "Transfer-Encoding must be exactly 'chunked' on HTTP/1.1");
        }
        if (contentLengths.size() > 1) {
            throw new IngressRejection(RejectReason.MULTIPLE_CONTENT_LENGTH, "more than one Content-Length");
        }
        if (contentLengths.size() == 1) {
            String value = contentLengths.get(0);
            if (value.isEmpty() || value.length() > MAX_CONTENT_LENGTH_DIGITS) {
                rejectContentLength();
            }
            for (int i = 0; i < value.length(); i++) {
                if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                    rejectContentLength();
                }
            }
        }
    }

    /** Every value of {@code name}; most requests have neither framing field, and getAll makes a list even then. */
    private static List<String> all(HttpHeaders headers, CharSequence name) {
        return headers.contains(name) ? headers.getAll(name) : List.of();
    }

    private static void rejectContentLength() throws IngressRejection {
        throw new IngressRejection(RejectReason.INVALID_CONTENT_LENGTH, "Content-Length is not a decimal number");
    }
}
