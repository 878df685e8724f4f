package org.portcullis.http1;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.portcullis.ingress.RejectReason;

/**
 * A parsed status line (RFC 9112 §4): {@code HTTP-version SP 3DIGIT SP reason-phrase CRLF}. The version must be
 * HTTP/1.0 or HTTP/1.1, the code 100-599 (RFC 9110 §15). The reason phrase may be empty, and the SP before an empty
 * phrase may be missing (some servers omit it; it carries no framing). The phrase must be field-value bytes; it is
 * then dropped and the standard phrase used, as RFC 9112 §4 says a client SHOULD ignore it, so upstream bytes
 * never reach the client's status line.
 *
 * @param headEnd index just after the CRLF that ends the line in the copied head
 */
record StatusLine(HttpVersion version, HttpResponseStatus status, int headEnd) {
    private static final int CODE_LENGTH = 3;

    static StatusLine parse(byte[] a) throws Http1Violation {
        int lf = StartLine.lineFeed(a);
        int end = StartLine.crlfEnd(a, lf, RejectReason.BARE_LF);
        int sp = 0;
        while (sp < end && a[sp] != ByteClasses.SP) {
            sp++;
        }
        HttpVersion version = StartLine.version(a, 0, sp, RejectReason.MALFORMED_REQUEST_LINE,
                RejectReason.UNSUPPORTED_HTTP_VERSION);
        int c = sp + 1;
        if (sp == end || end - c < CODE_LENGTH || !StartLine.isDigit(a[c]) || !StartLine.isDigit(a[c + 1])
                || !StartLine.isDigit(a[c + 2])) {
            throw new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE, "status code is not three digits");
        }
        int code = (a[c] - '0') * 100 + (a[c + 1] - '0') * 10 + (a[c + 2] - '0');
        if (code < 100 || code > 599) {
            throw new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE, "status code outside 100-599");
        }
        int r = c + CODE_LENGTH;
        if (r < end) {
            if (a[r] != ByteClasses.SP) {
                throw new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE, "no space after status code");
            }
            for (int i = r + 1; i < end; i++) {
                if (!ByteClasses.is(a[i], ByteClasses.FIELD_VALUE)) {
                    throw new Http1Violation(a[i] == ByteClasses.CR ? RejectReason.BARE_CR
                            : RejectReason.CONTROL_CHAR_IN_HEADER, "invalid byte in reason phrase");
                }
            }
        }
        return new StatusLine(version, HttpResponseStatus.valueOf(code), lf + 1);
    }
}
