package org.portcullis.http1;

import io.netty.handler.codec.http.HttpVersion;
import org.portcullis.ingress.RejectReason;

/** Pieces shared by the request-line and status-line parsers. */
final class StartLine {
    private static final int VERSION_LENGTH = "HTTP/1.1".length();

    private StartLine() {
    }

    /** Index of the first LF in {@code a}; the scanner guarantees there is one. */
    static int lineFeed(byte[] a) {
        int i = 0;
        while (a[i] != ByteClasses.LF) {
            i++;
        }
        return i;
    }

    /** Checks that the line ending at LF index {@code lf} ends in CRLF and returns the index of its CR. */
    static int crlfEnd(byte[] a, int lf, RejectReason bareLf) throws Http1Violation {
        if (lf == 0 || a[lf - 1] != ByteClasses.CR) {
            throw new Http1Violation(bareLf, "start line ended by LF without CR");
        }
        return lf - 1;
    }

    /**
     * Parses exactly {@code HTTP/1.0} or {@code HTTP/1.1} in {@code a[start, end)}. RFC 9112 §2.3: the name is
     * case-sensitive. Other {@code HTTP/d.d} versions are unsupported (505); anything else is malformed.
     */
    static HttpVersion version(byte[] a, int start, int end, RejectReason malformed, RejectReason unsupported)
            throws Http1Violation {
        for (int i = start; i < end; i++) {
            if (a[i] == ByteClasses.CR) {
                throw new Http1Violation(RejectReason.BARE_CR, "CR without LF in start line");
            }
        }
        if (end - start != VERSION_LENGTH || a[start] != 'H' || a[start + 1] != 'T' || a[start + 2] != 'T'
                || a[start + 3] != 'P' || a[start + 4] != '/' || !isDigit(a[start + 5]) || a[start + 6] != '.'
                || !isDigit(a[start + 7])) {
            throw new Http1Violation(malformed, "malformed HTTP version");
        }
        if (a[start + 5] == '1' && a[start + 7] == '1') {
            return HttpVersion.HTTP_1_1;
        }
        if (a[start + 5] == '1' && a[start + 7] == '0') {
            return HttpVersion.HTTP_1_0;
        }
        throw new Http1Violation(unsupported, "HTTP version other than 1.0 and 1.1");
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
