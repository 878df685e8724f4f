package org.portcullis.http1;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.portcullis.ingress.RejectReason;

/**
 * A parsed request line (RFC 9112 §3): {@code method SP request-target SP HTTP-version CRLF}, with exactly one SP
 * between the parts (RFC 9112 §3 allows a lenient split on other whitespace; we do not, since proxies disagree on it).
 * The method must be a token; the target is printable US-ASCII without spaces (a byte >= 0x80 or a control byte is
 * MALFORMED_REQUEST_LINE: the target's syntax is checked later by the ingress canonicalizer, but raw non-ASCII never
 * gets that far). {@code GET /} without a version (HTTP/0.9) is malformed.
 *
 * @param headEnd index just after the CRLF that ends the line in the copied head
 */
record RequestLine(HttpMethod method, String target, HttpVersion version, int headEnd) {

    static RequestLine parse(byte[] a) throws Http1Violation {
        int lf = StartLine.lineFeed(a);
        int end = StartLine.crlfEnd(a, lf, RejectReason.BARE_LF);
        int i = 0;
        while (ByteClasses.is(a[i], ByteClasses.TCHAR)) {
            i++;
        }
        if (i == 0 || a[i] != ByteClasses.SP) {
            throw malformed(a, i, end, "method is not a token followed by one space");
        }
        int methodLength = i;
        int targetStart = ++i;
        while (ByteClasses.is(a[i], ByteClasses.TARGET)) {
            i++;
        }
        if (i == targetStart) {
            throw malformed(a, i, end, "empty request target");
        }
        if (i == end) {
            throw new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE, "request line without HTTP version");
        }
        if (a[i] != ByteClasses.SP) {
            throw a[i] < 0
                    ? new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE, "non-ASCII byte in request target")
                    : malformed(a, i, end, "invalid byte in request target");
        }
        String target = new String(a, targetStart, i - targetStart, StandardCharsets.ISO_8859_1);
        HttpVersion version = StartLine.version(a, i + 1, end, RejectReason.MALFORMED_REQUEST_LINE,
                RejectReason.UNSUPPORTED_HTTP_VERSION);
        return new RequestLine(method(a, methodLength), target, version, lf + 1);
    }

    private static Http1Violation malformed(byte[] a, int i, int end, String detail) {
        return a[i] == ByteClasses.CR && i != end
                ? new Http1Violation(RejectReason.BARE_CR, "CR without LF in request line")
                : new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE, detail);
    }

    /** The common methods without allocating; others through {@link HttpMethod#valueOf}, as sent (case kept). */
    private static HttpMethod method(byte[] a, int length) {
        if (length == 3 && a[0] == 'G' && a[1] == 'E' && a[2] == 'T') {
            return HttpMethod.GET;
        }
        if (length == 4 && a[0] == 'P' && a[1] == 'O' && a[2] == 'S' && a[3] == 'T') {
            return HttpMethod.POST;
        }
        if (length == 4 && a[0] == 'H' && a[1] == 'E' && a[2] == 'A' && a[3] == 'D') {
            return HttpMethod.HEAD;
        }
        return HttpMethod.valueOf(new String(a, 0, length, StandardCharsets.US_ASCII));
    }
}
