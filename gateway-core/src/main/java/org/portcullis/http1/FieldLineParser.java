package org.portcullis.http1;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import org.portcullis.ingress.RejectReason;

/**
 * Validates the field lines of a copied head (RFC 9112 §5, RFC 9110 §5.5) and adds them to the headers.
 *
 * <p>A field line is {@code name ":" OWS value OWS CRLF}. Refused, each with its own reason:
 * <ul>
 *   <li>a line starting with SP or HTAB (obs-fold, RFC 9112 §5.2): OBS_FOLD;</li>
 *   <li>whitespace between name and colon (RFC 9112 §5.1 says MUST reject): WHITESPACE_BEFORE_COLON;</li>
 *   <li>an empty name, a name byte that is not a tchar (including bytes >= 0x80), no colon: MALFORMED_HEADER;</li>
 *   <li>CR not followed by LF anywhere: BARE_CR; a line ended by LF alone: BARE_LF (RFC 9112 §2.2 allows a
 *       recipient to accept LF; we do not, because the next hop may not);</li>
 *   <li>NUL, DEL and every other control byte except HTAB in a value: CONTROL_CHAR_IN_HEADER.</li>
 * </ul>
 * Bytes >= 0x80 are allowed in values (obs-text, RFC 9110 §5.5): legacy applications put Latin-1 file names there.
 *
 * <p>Names and values become {@link AsciiString} views on the copied head array: no further copy and no char
 * decoding; the value has OWS removed and the name keeps the case the client sent.
 */
final class FieldLineParser {
    private FieldLineParser() {
    }

    /**
     * Parses the field lines from {@code pos} up to and including the empty line that ends {@code a}.
     *
     * @param target  where the fields go, or null to validate and drop them (trailers)
     * @param framing observes the framing fields, or null (trailers)
     */
    static void parseSection(byte[] a, int pos, HttpHeaders target, FramingFields framing) throws Http1Violation {
        while (true) {
            byte first = a[pos];
            if (first == ByteClasses.CR) {
                if (a[pos + 1] != ByteClasses.LF) {
                    throw new Http1Violation(RejectReason.BARE_CR, "CR without LF in header section");
                }
                return;
            }
            if (first == ByteClasses.LF) {
                throw new Http1Violation(RejectReason.BARE_LF, "header section ended by LF without CR");
            }
            pos = parseLine(a, pos, target, framing);
        }
    }

    /** Parses one field line starting at {@code s}; returns the index after its LF. */
    private static int parseLine(byte[] a, int s, HttpHeaders target, FramingFields framing) throws Http1Violation {
        if (ByteClasses.isWhitespace(a[s])) {
            throw new Http1Violation(RejectReason.OBS_FOLD, "obsolete line folding");
        }
        int i = s;
        while (ByteClasses.is(a[i], ByteClasses.TCHAR)) {
            i++;
        }
        if (a[i] != ':') {
            throw nameViolation(a, i);
        }
        if (i == s) {
            throw new Http1Violation(RejectReason.MALFORMED_HEADER, "empty field name");
        }
        int nameLength = i - s;
        int valueStart = i + 1;
        while (ByteClasses.isWhitespace(a[valueStart])) {
            valueStart++;
        }
        int j = valueStart;
        while (true) {
            byte b = a[j];
            if (ByteClasses.is(b, ByteClasses.FIELD_VALUE)) {
                j++;
            } else if (b == ByteClasses.CR) {
                // a head always ends in LF, so a CR is never its last byte
                if (a[j + 1] != ByteClasses.LF) {
                    throw new Http1Violation(RejectReason.BARE_CR, "CR without LF in header value");
                }
                break;
            } else if (b == ByteClasses.LF) {
                throw new Http1Violation(RejectReason.BARE_LF, "header line ended by LF without CR");
            } else {
                throw new Http1Violation(RejectReason.CONTROL_CHAR_IN_HEADER, "control character in header value");
            }
        }
        int rawValueEnd = j;
        int valueEnd = j;
        while (valueEnd > valueStart && ByteClasses.isWhitespace(a[valueEnd - 1])) {
            valueEnd--;
        }
        if (framing != null) {
            framing.observe(a, s, nameLength, valueStart, valueEnd, rawValueEnd);
        }
        if (target != null) {
            target.add(new AsciiString(a, s, nameLength, false),
                    new AsciiString(a, valueStart, valueEnd - valueStart, false));
        }
        return j + 2;
    }

    private static Http1Violation nameViolation(byte[] a, int i) {
        byte b = a[i];
        if (ByteClasses.isWhitespace(b)) {
            int k = i;
            while (ByteClasses.isWhitespace(a[k])) {
                k++;
            }
            return a[k] == ':'
                    ? new Http1Violation(RejectReason.WHITESPACE_BEFORE_COLON, "whitespace between name and colon")
                    : new Http1Violation(RejectReason.MALFORMED_HEADER, "whitespace in field name");
        }
        if (b == ByteClasses.CR) {
            return a[i + 1] == ByteClasses.LF
                    ? new Http1Violation(RejectReason.MALFORMED_HEADER, "field line without colon")
                    : new Http1Violation(RejectReason.BARE_CR, "CR without LF in field name");
        }
        if (b == ByteClasses.LF) {
            return new Http1Violation(RejectReason.BARE_LF, "header line ended by LF without CR");
        }
        if ((b >= 0 && b < 0x20) || b == 0x7F) {
            return new Http1Violation(RejectReason.CONTROL_CHAR_IN_HEADER, "control character in field name");
        }
        return new Http1Violation(RejectReason.MALFORMED_HEADER, "invalid byte in field name");
    }
}
