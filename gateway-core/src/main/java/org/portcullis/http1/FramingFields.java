package org.portcullis.http1;

import io.netty.handler.codec.http.HttpVersion;
import org.portcullis.ingress.RejectReason;

/**
 * Watches the framing fields (Content-Length, Transfer-Encoding, Host) while {@link FieldLineParser} walks the
 * field section, then decides how the body is delimited or refuses the head (SECURITY-RULES 3). Recognising the
 * names byte by byte during the single parse pass avoids a second lookup in the header map.
 *
 * <p>Rules, checked in this order once the whole section is read:
 * <ol>
 *   <li>Content-Length and Transfer-Encoding together: CONTENT_LENGTH_AND_TRANSFER_ENCODING. RFC 9112 §6.1 lets a
 *       server drop Content-Length and go on; that is the CL.TE / TE.CL smuggling gap, so we refuse.</li>
 *   <li>Transfer-Encoding sent in several fields, or with a value other than exactly {@code chunked}
 *       (case-insensitive, leading OWS allowed, nothing after it, not even whitespace): UNSUPPORTED_TRANSFER_ENCODING.
 *       The trailing-whitespace refusal is stricter than RFC 9110 §5.5; {@code chunked\t} and {@code chunked }
 *       are known obfuscations and no real client sends them.</li>
 *   <li>Transfer-Encoding in an HTTP/1.0 message: RFC 9112 §6.1 says such framing is faulty:
 *       TRANSFER_ENCODING_IN_HTTP10.</li>
 *   <li>Content-Length in several fields, or a list value (even {@code 5, 5}): MULTIPLE_CONTENT_LENGTH. RFC 9110 §8.6
 *       allows merging equal values; we do not, because parsers disagree on it.</li>
 *   <li>Content-Length not 1*DIGIT (empty, sign, inner space, more than 18 digits): INVALID_CONTENT_LENGTH.</li>
 *   <li>Requests only: HTTP/1.1 without exactly one Host (RFC 9112 §3.2): MISSING_HOST or MULTIPLE_HOST.</li>
 *   <li>Requests only, checked first: a look-alike of Content-Length or Transfer-Encoding, a name that is one of them
 *       once case is folded and every byte other than a letter or digit is read as '-' ({@code Content_Length},
 *       {@code TRANSFER_ENCODING}, {@code Transfer~Encoding}): FRAMING_FIELD_LOOKALIKE. It is no framing to the
 *       gateway, but CGI-style upstreams (PHP, many WSGI/Rack servers, IIS with some modules) map '_' to '-' and
 *       read it as the real field, so the two would frame the body differently. Dropping it would be repairing an
 *       ambiguous message; it is refused (SECURITY-RULES 2, 3). Host cannot have a look-alike: its name holds no
 *       separator.</li>
 * </ol>
 *
 * <p>{@link #checkTrailers()} applies to a chunked body's trailer section instead (RFC 9110 §6.5.1: framing,
 * routing and connection-control fields may not be trailers): any Content-Length, Transfer-Encoding, Host,
 * Connection, Upgrade, Trailer, TE or Keep-Alive field, in any spelling, is FORBIDDEN_TRAILER. The gateway never
 * forwards trailers, but a trailer section carrying them is a message some parser frames or routes differently, and
 * it is refused rather than silently dropped.
 */
final class FramingFields {
    /** 18 digits always fit in a long; nobody sends a body of an exabyte. */
    static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private static final byte[] CONTENT_LENGTH = lower("content-length");
    private static final byte[] TRANSFER_ENCODING = lower("transfer-encoding");
    private static final byte[] HOST = lower("host");
    private static final byte[] CHUNKED = lower("chunked");
    /** Connection-control fields that, besides framing and Host, may not be trailers. */
    private static final byte[][] CONNECTION_CONTROL = {
        lower("connection"), lower("upgrade"), lower("trailer"), lower("te"), lower("keep-alive")};

    private int contentLengthFields;
    private long contentLength;
    private boolean contentLengthList;
    private boolean contentLengthInvalid;
    private int transferEncodingFields;
    private boolean transferEncodingChunked;
    private int hostFields;
    private int lookalikeFields;
    private int connectionControlFields;

    void reset() {
        contentLengthFields = 0;
        contentLength = -1;
        contentLengthList = false;
        contentLengthInvalid = false;
        transferEncodingFields = 0;
        transferEncodingChunked = false;
        hostFields = 0;
        lookalikeFields = 0;
        connectionControlFields = 0;
    }

    /**
     * Records one field line.
     *
     * @param valueEnd    end of the value without trailing OWS
     * @param rawValueEnd end of the value including trailing OWS (before CRLF)
     */
    void observe(byte[] a, int nameStart, int nameLength, int valueStart, int valueEnd, int rawValueEnd) {
        if (nameLength == CONTENT_LENGTH.length && equalsLower(a, nameStart, CONTENT_LENGTH)) {
            contentLengthFields++;
            parseContentLength(a, valueStart, valueEnd);
        } else if (nameLength == TRANSFER_ENCODING.length && equalsLower(a, nameStart, TRANSFER_ENCODING)) {
            transferEncodingFields++;
            transferEncodingChunked = rawValueEnd - valueStart == CHUNKED.length && equalsLower(a, valueStart, CHUNKED);
        } else if (nameLength == HOST.length && equalsLower(a, nameStart, HOST)) {
            hostFields++;
        } else if (equalsNormalized(a, nameStart, nameLength, CONTENT_LENGTH)
                || equalsNormalized(a, nameStart, nameLength, TRANSFER_ENCODING)) {
            lookalikeFields++;
        } else {
            for (byte[] name : CONNECTION_CONTROL) {
                if (equalsNormalized(a, nameStart, nameLength, name)) {
                    connectionControlFields++;
                    break;
                }
            }
        }
    }

    private void parseContentLength(byte[] a, int start, int end) {
        long value = 0;
        int digits = end - start;
        if (digits == 0 || digits > MAX_CONTENT_LENGTH_DIGITS) {
            contentLengthInvalid = true;
        }
        for (int i = start; i < end; i++) {
            byte b = a[i];
            if (b == ',') {
                contentLengthList = true;
            } else if (b < '0' || b > '9') {
                contentLengthInvalid = true;
            } else {
                value = value * 10 + (b - '0');
            }
        }
        contentLength = value;
    }

    /** Applies the rules for a request head and returns how its body is framed. */
    BodyFraming checkRequest(HttpVersion version) throws Http1Violation {
        if (lookalikeFields > 0) {
            throw new Http1Violation(RejectReason.FRAMING_FIELD_LOOKALIKE,
                    "a look-alike of Content-Length or Transfer-Encoding");
        }
        BodyFraming framing = check(version);
        if (version == HttpVersion.HTTP_1_1) {
            if (hostFields == 0) {
                throw new Http1Violation(RejectReason.MISSING_HOST, "HTTP/1.1 request without Host");
            }
            if (hostFields > 1) {
                throw new Http1Violation(RejectReason.MULTIPLE_HOST, "more than one Host field");
            }
        }
        return framing;
    }

    /**
     * Applies the framing rules shared by requests and responses. Returns CHUNKED, FIXED (see
     * {@link #contentLength()}) or NONE when neither field is present; a response turns NONE into read-until-close.
     */
    BodyFraming check(HttpVersion version) throws Http1Violation {
        boolean te = transferEncodingFields > 0;
        if (te && contentLengthFields > 0) {
            throw new Http1Violation(RejectReason.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
                    "both Content-Length and Transfer-Encoding");
        }
        if (te) {
            if (transferEncodingFields > 1 || !transferEncodingChunked) {
                throw new Http1Violation(RejectReason.UNSUPPORTED_TRANSFER_ENCODING,
                        "Transfer-Encoding other than exactly chunked");
            }
            if (version != HttpVersion.HTTP_1_1) {
                throw new Http1Violation(RejectReason.TRANSFER_ENCODING_IN_HTTP10, "Transfer-Encoding in HTTP/1.0");
            }
            return BodyFraming.CHUNKED;
        }
        if (contentLengthFields > 0) {
            if (contentLengthFields > 1 || contentLengthList) {
                throw new Http1Violation(RejectReason.MULTIPLE_CONTENT_LENGTH, "more than one Content-Length");
            }
            if (contentLengthInvalid) {
                throw new Http1Violation(RejectReason.INVALID_CONTENT_LENGTH, "Content-Length is not a number");
            }
            return BodyFraming.FIXED;
        }
        return BodyFraming.NONE;
    }

    /** Applies the trailer rule to a trailer section observed since {@link #reset()}. */
    void checkTrailers() throws Http1Violation {
        if (contentLengthFields + transferEncodingFields + hostFields + lookalikeFields + connectionControlFields > 0) {
            throw new Http1Violation(RejectReason.FORBIDDEN_TRAILER,
                    "framing, routing or connection-control field in the trailer section");
        }
    }

    /** The declared length; valid after {@link #check} returned FIXED. */
    long contentLength() {
        return contentLength;
    }

    private static boolean equalsLower(byte[] a, int start, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            // OR 0x20 folds ASCII upper case; the names compared here contain only letters and '-', and '-' | 0x20
            // is '-', while no tchar other than a letter folds onto a letter or '-'.
            if ((a[start + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the name at {@code start} equals {@code lower} once case is folded and every byte other than a
     * letter or digit is read as '-' (the way {@code org.portcullis.ingress.HeaderNameSet} compares names).
     */
    private static boolean equalsNormalized(byte[] a, int start, int length, byte[] lower) {
        if (length != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            byte b = a[start + i];
            boolean alnum = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
            if (lower[i] == '-' ? alnum : (b | 0x20) != lower[i] || !alnum) {
                return false;
            }
        }
        return true;
    }

    private static byte[] lower(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
