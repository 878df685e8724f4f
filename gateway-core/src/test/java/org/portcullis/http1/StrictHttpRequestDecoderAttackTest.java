package org.portcullis.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.ingress.RejectReason;

/**
 * The attack matrix of SECURITY-RULES 3 and 19 against the request decoder: each row is a request an attacker
 * sends and the one refusal it must produce. No row may complete a request (no last content reaches the gateway),
 * and the result must not depend on how the bytes were split into reads.
 */
class StrictHttpRequestDecoderAttackTest {
    /** Small limits so the size rows stay readable. */
    static final Http1Limits LIMITS = new Http1Limits(100, 300, 10, 1000);

    private static final String H = "Host: a.test\r\n";
    private static final String POST = "POST /upload HTTP/1.1\r\n" + H;
    private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";

    static Stream<Arguments> attacks() {
        return Stream.of(
                // ---- request line ----
                // two spaces after the method: some servers collapse them, we must not guess
                row("GET  / HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // two spaces before the version
                row("GET /  HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // trailing space after the version
                row("GET / HTTP/1.1 \r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // HTAB as separator
                row("GET\t/ HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // HTTP/0.9 simple request without version
                row("GET /\r\n\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // HTTP/2.0 in an HTTP/1 request line
                row("GET / HTTP/2.0\r\n" + H + "\r\n", RejectReason.UNSUPPORTED_HTTP_VERSION),
                // unknown minor version
                row("GET / HTTP/1.2\r\n" + H + "\r\n", RejectReason.UNSUPPORTED_HTTP_VERSION),
                // HTTP/0.9 spelled out
                row("GET / HTTP/0.9\r\n" + H + "\r\n", RejectReason.UNSUPPORTED_HTTP_VERSION),
                // HTTP-name is case-sensitive (RFC 9112 §2.3)
                row("GET / http/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // two-digit minor version
                row("GET / HTTP/1.10\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // raw non-ASCII byte in the target
                row("GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // NUL in the target
                row("GET /a\u0000b HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // DEL in the target
                row("GET /a\u007fb HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // method that is not a token
                row("G(T / HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // leading space before the method
                row(" GET / HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // request line ended by a bare LF
                row("GET / HTTP/1.1\n" + H + "\r\n", RejectReason.BARE_LF),
                // bare CR inside the request line
                row("GET /\r HTTP/1.1\r\n" + H + "\r\n", RejectReason.BARE_CR),
                // bare CR inside the version
                row("GET / HTTP/1.1\r\r\n" + H + "\r\n", RejectReason.BARE_CR),
                // request line longer than 100 bytes
                row("GET /" + "a".repeat(100) + " HTTP/1.1\r\n" + H + "\r\n", RejectReason.REQUEST_LINE_TOO_LONG),
                // request line that never ends: refused once 100 bytes are buffered, not when memory runs out
                row("GET /" + "a".repeat(200), RejectReason.REQUEST_LINE_TOO_LONG),
                // three empty lines before the request line (two are tolerated)
                row("\r\n\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n", RejectReason.MALFORMED_REQUEST_LINE),
                // empty line ended by a bare LF before the request
                row("\nGET / HTTP/1.1\r\n" + H + "\r\n", RejectReason.BARE_LF),
                // bare CR before the request
                row("\rGET / HTTP/1.1\r\n" + H + "\r\n", RejectReason.BARE_CR),

                // ---- field lines ----
                // space before the colon (RFC 9112 §5.1 MUST reject)
                row("GET / HTTP/1.1\r\nHost : a.test\r\n\r\n", RejectReason.WHITESPACE_BEFORE_COLON),
                // HTAB before the colon
                row("GET / HTTP/1.1\r\nHost\t: a.test\r\n\r\n", RejectReason.WHITESPACE_BEFORE_COLON),
                // obs-fold continuation with SP
                row("GET / HTTP/1.1\r\n" + H + "X-A: 1\r\n 2\r\n\r\n", RejectReason.OBS_FOLD),
                // obs-fold continuation with HTAB
                row("GET / HTTP/1.1\r\n" + H + "X-A: 1\r\n\t2\r\n\r\n", RejectReason.OBS_FOLD),
                // first field line starting with whitespace (hides a header from some parsers)
                row("GET / HTTP/1.1\r\n Host: a.test\r\n\r\n", RejectReason.OBS_FOLD),
                // bare CR inside a value
                row("GET / HTTP/1.1\r\n" + H + "X-A: 1\r2\r\n\r\n", RejectReason.BARE_CR),
                // bare CR just before CRLF
                row("GET / HTTP/1.1\r\n" + H + "X-A: 1\r\r\n\r\n", RejectReason.BARE_CR),
                // field line ended by a bare LF
                row("GET / HTTP/1.1\r\n" + H + "X-A: 1\n\r\n", RejectReason.BARE_LF),
                // head ended by a bare LF
                row("GET / HTTP/1.1\r\n" + H + "\n", RejectReason.BARE_LF),
                // every line ended by a bare LF
                row("GET / HTTP/1.1\nHost: a.test\n\n", RejectReason.BARE_LF),
                // NUL in a value
                row("GET / HTTP/1.1\r\n" + H + "X-A: a\u0000b\r\n\r\n", RejectReason.CONTROL_CHAR_IN_HEADER),
                // DEL in a value
                row("GET / HTTP/1.1\r\n" + H + "X-A: a\u007fb\r\n\r\n", RejectReason.CONTROL_CHAR_IN_HEADER),
                // ESC in a value (terminal escape injection into logs)
                row("GET / HTTP/1.1\r\n" + H + "X-A: a\u001bb\r\n\r\n", RejectReason.CONTROL_CHAR_IN_HEADER),
                // non-ASCII byte in a name
                row("GET / HTTP/1.1\r\n" + H + "X-\u00e9: a\r\n\r\n", RejectReason.MALFORMED_HEADER),
                // NUL in a name
                row("GET / HTTP/1.1\r\n" + H + "X\u0000: a\r\n\r\n", RejectReason.CONTROL_CHAR_IN_HEADER),
                // empty name
                row("GET / HTTP/1.1\r\n" + H + ": a\r\n\r\n", RejectReason.MALFORMED_HEADER),
                // line without colon
                row("GET / HTTP/1.1\r\n" + H + "NoColon\r\n\r\n", RejectReason.MALFORMED_HEADER),
                // space inside a name
                row("GET / HTTP/1.1\r\n" + H + "X A: a\r\n\r\n", RejectReason.MALFORMED_HEADER),
                // 11 fields, limit 10
                row("GET / HTTP/1.1\r\n" + H + "X: 1\r\n".repeat(10) + "\r\n", RejectReason.TOO_MANY_HEADERS),
                // header section over 300 bytes
                row("GET / HTTP/1.1\r\n" + H + "X: " + "v".repeat(300) + "\r\n\r\n", RejectReason.HEADERS_TOO_LARGE),
                // header that never ends: refused at the limit
                row("GET / HTTP/1.1\r\n" + H + "X: " + "v".repeat(400), RejectReason.HEADERS_TOO_LARGE),

                // ---- Host ----
                // HTTP/1.1 without Host
                row("GET / HTTP/1.1\r\n\r\n", RejectReason.MISSING_HOST),
                // two Host fields
                row("GET / HTTP/1.1\r\n" + H + H + "\r\n", RejectReason.MULTIPLE_HOST),
                // two Host fields in different case
                row("GET / HTTP/1.1\r\nhost: a.test\r\nHOST: b.test\r\n\r\n", RejectReason.MULTIPLE_HOST),

                // ---- Content-Length / Transfer-Encoding ----
                // CL.TE: front end uses CL, back end TE
                row(POST + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX",
                        RejectReason.CONTENT_LENGTH_AND_TRANSFER_ENCODING),
                // TE.CL: the same fields in the other order
                row(POST + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
                        RejectReason.CONTENT_LENGTH_AND_TRANSFER_ENCODING),
                // TE obfuscation: xchunked
                row(POST + "Transfer-Encoding: xchunked\r\n\r\n", RejectReason.UNSUPPORTED_TRANSFER_ENCODING),
                // TE obfuscation: space before colon
                row(POST + "Transfer-Encoding : chunked\r\n\r\n", RejectReason.WHITESPACE_BEFORE_COLON),
                // TE obfuscation: trailing space
                row(POST + "Transfer-Encoding: chunked \r\n\r\n", RejectReason.UNSUPPORTED_TRANSFER_ENCODING),
                // TE obfuscation: trailing HTAB
                row(POST + "Transfer-Encoding: chunked\t\r\n\r\n", RejectReason.UNSUPPORTED_TRANSFER_ENCODING),
                // TE obfuscation: vertical tab before the value
                row(POST + "Transfer-Encoding:\u000bchunked\r\n\r\n", RejectReason.CONTROL_CHAR_IN_HEADER),
                // TE obfuscation: folded onto the next line
                row(POST + "Transfer-Encoding:\r\n chunked\r\n\r\n", RejectReason.OBS_FOLD),
                // chunked listed twice
                row(POST + "Transfer-Encoding: chunked, chunked\r\n\r\n", RejectReason.UNSUPPORTED_TRANSFER_ENCODING),
                // a coding before chunked
                row(POST + "Transfer-Encoding: gzip, chunked\r\n\r\n", RejectReason.UNSUPPORTED_TRANSFER_ENCODING),
                // identity (removed from HTTP/1.1)
                row(POST + "Transfer-Encoding: identity\r\n\r\n", RejectReason.UNSUPPORTED_TRANSFER_ENCODING),
                // empty TE value
                row(POST + "Transfer-Encoding:\r\n\r\n", RejectReason.UNSUPPORTED_TRANSFER_ENCODING),
                // two TE fields
                row(POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                        RejectReason.UNSUPPORTED_TRANSFER_ENCODING),
                // TE in HTTP/1.0 (RFC 9112 §6.1: faulty framing)
                row("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        RejectReason.TRANSFER_ENCODING_IN_HTTP10),
                // CL list, even with equal values
                row(POST + "Content-Length: 5, 5\r\n\r\nhello", RejectReason.MULTIPLE_CONTENT_LENGTH),
                // two CL fields with equal values
                row(POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", RejectReason.MULTIPLE_CONTENT_LENGTH),
                // two CL fields with different values
                row(POST + "Content-Length: 5\r\ncontent-length: 6\r\n\r\nhello!", RejectReason.MULTIPLE_CONTENT_LENGTH),
                // CL with a plus sign
                row(POST + "Content-Length: +5\r\n\r\nhello", RejectReason.INVALID_CONTENT_LENGTH),
                // negative CL
                row(POST + "Content-Length: -1\r\n\r\n", RejectReason.INVALID_CONTENT_LENGTH),
                // space inside the number
                row(POST + "Content-Length: 1 0\r\n\r\nhelloworld", RejectReason.INVALID_CONTENT_LENGTH),
                // empty CL
                row(POST + "Content-Length:\r\n\r\n", RejectReason.INVALID_CONTENT_LENGTH),
                // hex CL
                row(POST + "Content-Length: 0x5\r\n\r\nhello", RejectReason.INVALID_CONTENT_LENGTH),
                // 19 digits: would overflow a long
                row(POST + "Content-Length: 9999999999999999999\r\n\r\n", RejectReason.INVALID_CONTENT_LENGTH),
                // declared body over the 1000-byte limit: refused before any body byte is passed on
                row(POST + "Content-Length: 1001\r\n\r\nx", RejectReason.BODY_TOO_LARGE),

                // ---- chunked body ----
                // chunk size with 0x prefix
                row(CHUNKED + "0x5\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // negative chunk size
                row(CHUNKED + "-1\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // chunk size with plus sign
                row(CHUNKED + "+5\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // leading space before the size
                row(CHUNKED + " 5\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // 17 hex digits (leading zeros hide the size from truncating parsers)
                row(CHUNKED + "00000000000000005\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // 16 hex digits that overflow a long
                row(CHUNKED + "FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // huge but well-formed size: over the body limit before any data is passed on
                row(CHUNKED + "FFFFFFFFFFFF\r\nhello", RejectReason.BODY_TOO_LARGE),
                // sum of chunks over the limit
                row(CHUNKED + "200\r\n" + "a".repeat(512) + "\r\n200\r\n", RejectReason.BODY_TOO_LARGE),
                // whitespace before an extension (BWS, refused on purpose)
                row(CHUNKED + "5 ;ext\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // whitespace after the semicolon
                row(CHUNKED + "5; ext\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // trailing whitespace after the size
                row(CHUNKED + "5 \r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // empty extension name
                row(CHUNKED + "5;\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // empty extension value
                row(CHUNKED + "5;a=\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // unterminated quoted string
                row(CHUNKED + "5;a=\"x\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // control byte in a quoted extension value
                row(CHUNKED + "5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // size line ended by a bare LF
                row(CHUNKED + "5\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // bare CR after the size
                row(CHUNKED + "5\r\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // chunk data followed by a bare LF
                row(CHUNKED + "5\r\nhello\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // chunk data longer than its size (missing CRLF after data)
                row(CHUNKED + "5\r\nhelloX\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // next size glued to the data
                row(CHUNKED + "5\r\nhello0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // empty size line
                row(CHUNKED + "\r\nhello\r\n0\r\n\r\n", RejectReason.MALFORMED_CHUNK),
                // size line that never ends
                row(CHUNKED + "5;a=" + "b".repeat(5000), RejectReason.MALFORMED_CHUNK),
                // trailer with obs-fold
                row(CHUNKED + "0\r\nX-T: 1\r\n 2\r\n\r\n", RejectReason.OBS_FOLD),
                // trailer ended by a bare LF
                row(CHUNKED + "0\r\nX-T: 1\n\r\n", RejectReason.BARE_LF),
                // trailer section ended by a bare LF
                row(CHUNKED + "0\r\n\n", RejectReason.BARE_LF),
                // trailer with whitespace before the colon
                row(CHUNKED + "0\r\nX-T : 1\r\n\r\n", RejectReason.WHITESPACE_BEFORE_COLON),
                // trailers that push the header section over 300 bytes
                row(CHUNKED + "0\r\nX-T: " + "t".repeat(250) + "\r\n\r\n", RejectReason.HEADERS_TOO_LARGE),
                // 2 header fields + 9 trailer fields: over the limit of 10
                row(CHUNKED + "0\r\n" + "X-T: 1\r\n".repeat(9) + "\r\n", RejectReason.TOO_MANY_HEADERS));
    }

    private static Arguments row(String request, RejectReason reason) {
        return arguments(request, reason);
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void refusesOnceAndCompletesNoRequest(String request, RejectReason reason) {
        List<String> whole = decode(List.of(request));
        assertThat(whole.get(whole.size() - 1)).isEqualTo("rejected " + reason);
        assertThat(whole).filteredOn(line -> line.startsWith("rejected")).hasSize(1);
        assertThat(whole).noneMatch(line -> line.startsWith("body["));
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void refusesTheSameWayWhenSentOneByteAtATime(String request, RejectReason reason) {
        assertThat(decode(Transcript.singleBytes(request))).isEqualTo(decode(List.of(request)));
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void discardsEverythingAfterTheRefusal(String request, RejectReason reason) {
        List<String> out = decode(List.of(request, "GET / HTTP/1.1\r\n" + H + "\r\n"));
        assertThat(out.get(out.size() - 1)).isEqualTo("rejected " + reason);
    }

    private static List<String> decode(List<String> pieces) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(LIMITS));
        List<String> out = Transcript.feed(channel, pieces);
        assertFalse(channel.finishAndReleaseAll());
        return out;
    }
}
