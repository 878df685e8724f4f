package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Request smuggling through the whole gateway (SECURITY-RULES 3; docs/request-handling.md §1): every request whose
 * framing two parsers could read differently is answered with its documented status and the connection is closed,
 * and neither it nor the request hidden behind it ever reaches the upstream. The hidden request is always
 * {@code GET /admin}, which the policy denies, so it could only reach the upstream by being smuggled.
 *
 * <p>After each attack a sentinel request on a fresh connection must be the next and only request the upstream
 * records: anything the gateway had forwarded for the attack would have arrived before it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmugglingTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofMillis(50);
    static final String SMUGGLED = "GET /admin HTTP/1.1\r\nHost: app.test\r\n\r\n";

    static final String LIMITS = """
            limits:
              max_body_bytes: 64KiB
              header_read_timeout: 2s
              body_read_timeout: 2s
            """;
    static final String POLICY = """
            access_control:
              default_policy: bypass
              rules:
                - id: no-admin
                  paths: [/admin/**]
                  policy: deny
            """;

    @RegisterExtension
    static final GatewayUnderTest gateway = GatewayUnderTest.withConfig(GatewayHarness.simpleConfig(LIMITS, POLICY));

    /** Rejected when the head is read: nothing of it reaches the upstream. */
    static Stream<Arguments> ambiguousHeads() {
        return Stream.of(
                // 1: CL.TE — a front end using Content-Length forwards "0\r\n\r\n"; a back end using chunked sees
                // the body end there and reads GET /admin as the next request
                row("CL.TE", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 6\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 400),
                // 2: TE.CL — the reverse: chunked in front, Content-Length: 4 behind leaves "GET /admin..." over
                row("TE.CL", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Length: 4\r\n\r\n" + chunk("GET /admin HTTP/1.1\r\nHost: app.test\r\n\r\n")
                        + "0\r\n\r\n", 400),
                // 3: TE not exactly "chunked": the framing of the body is unknown
                row("TE xchunked", teRequest("Transfer-Encoding: xchunked\r\n"), 501),
                // 4: trailing space after chunked (some parsers trim, some do not)
                row("TE chunked+SP", teRequest("Transfer-Encoding: chunked \r\n"), 501),
                // 5: trailing tab
                row("TE chunked+HTAB", teRequest("Transfer-Encoding: chunked\t\r\n"), 501),
                // 6: a list with identity after chunked
                row("TE chunked, identity", teRequest("Transfer-Encoding: chunked, identity\r\n"), 501),
                // 7: a list with chunked last (RFC-valid elsewhere, refused here: only exactly chunked)
                row("TE identity, chunked", teRequest("Transfer-Encoding: identity, chunked\r\n"), 501),
                // 8: chunked twice in one value
                row("TE chunked, chunked", teRequest("Transfer-Encoding: chunked, chunked\r\n"), 501),
                // 9: two Transfer-Encoding fields
                row("two TE fields", teRequest("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n"),
                        501),
                // 10: two identical Transfer-Encoding fields
                row("two TE chunked fields", teRequest("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
                        501),
                // 11: vertical tab in front of the value: a control byte, never whitespace
                row("TE \\x0b chunked", teRequest("Transfer-Encoding:\u000bchunked\r\n"), 400),
                // 12: form feed in front of the value
                row("TE \\x0c chunked", teRequest("Transfer-Encoding:\u000cchunked\r\n"), 400),
                // 13: whitespace before the colon (CVE-2019-16869 in Netty)
                row("TE SP colon", teRequest("Transfer-Encoding : chunked\r\n"), 400),
                // 14: tab before the colon
                row("TE HTAB colon", teRequest("Transfer-Encoding\t: chunked\r\n"), 400),
                // 15: TE hidden in an obs-fold continuation of another header
                row("TE in obs-fold", teRequest("X-Padding: a\r\n Transfer-Encoding: chunked\r\n"), 400),
                // 16: the value of TE folded onto the next line
                row("TE value folded", teRequest("Transfer-Encoding:\r\n chunked\r\n"), 400),
                // 17: TE with Content-Length on HTTP/1.0, which has no chunked coding
                row("HTTP/1.0 TE + CL", "POST / HTTP/1.0\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Length: 5\r\n\r\n0\r\n\r\n" + SMUGGLED, 400),
                // 18: chunked on HTTP/1.0 (RFC 9112 §6.1: faulty framing)
                row("HTTP/1.0 TE", "POST / HTTP/1.0\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\n\r\n" + SMUGGLED, 400),
                // 19: two Content-Length fields that disagree
                row("two CL", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 0\r\nContent-Length: "
                        + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED, 400),
                // 20: two equal Content-Length fields (RFC 9110 allows merging; parsers disagree)
                row("two equal CL", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\nContent-Length: 5\r\n"
                        + "\r\nhello" + SMUGGLED, 400),
                // 21: a list value
                row("CL 5, 5", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5, 5\r\n\r\nhello" + SMUGGLED,
                        400),
                // 22: a sign
                row("CL +5", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: +5\r\n\r\nhello" + SMUGGLED, 400),
                // 23: negative
                row("CL -1", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: -1\r\n\r\n" + SMUGGLED, 400),
                // 24: hexadecimal
                row("CL 0x5", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 0x5\r\n\r\nhello" + SMUGGLED,
                        400),
                // 25: space inside the number
                row("CL 1 0", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1 0\r\n\r\nhelloworld" + SMUGGLED,
                        400),
                // 26: empty value
                row("CL empty", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length:\r\n\r\n" + SMUGGLED, 400),
                // 27: more digits than a long holds (parsers that wrap around read a small number)
                row("CL overflow", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 18446744073709551621\r\n\r\n"
                        + "hello" + SMUGGLED, 400),
                // 28: header lines ended by bare LF: one parser sees two headers, another one
                row("bare LF head", "GET / HTTP/1.1\nHost: app.test\n\n" + SMUGGLED, 400),
                // 29: a bare LF inside the header section, hiding Transfer-Encoding
                row("bare LF before TE", "POST / HTTP/1.1\r\nHost: app.test\r\nX-A: b\nTransfer-Encoding: chunked\r\n"
                        + "\r\n0\r\n\r\n" + SMUGGLED, 400),
                // 30: a bare CR inside a value, hiding Transfer-Encoding
                row("bare CR before TE", "POST / HTTP/1.1\r\nHost: app.test\r\nX-A: b\rTransfer-Encoding: chunked\r\n"
                        + "\r\n0\r\n\r\n" + SMUGGLED, 400),
                // 31: a bare CR ending the request line
                row("bare CR request line", "GET / HTTP/1.1\rHost: app.test\r\n\r\n" + SMUGGLED, 400),
                // 32: obs-fold of an ordinary header
                row("obs-fold", "GET / HTTP/1.1\r\nHost: app.test\r\nX-A: b\r\n\tc\r\n\r\n" + SMUGGLED, 400),
                // 33: NUL in a header value (C upstreams truncate there)
                row("NUL in value", "GET / HTTP/1.1\r\nHost: app.test\r\nX-A: b\u0000c\r\n\r\n" + SMUGGLED, 400),
                // 34: NUL in a header name
                row("NUL in name", "GET / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding\u0000: chunked\r\n\r\n"
                        + SMUGGLED, 400),
                // 35: whitespace before the colon of Content-Length
                row("CL SP colon", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length : 5\r\n\r\nhello" + SMUGGLED,
                        400),
                // 36: header line without a colon
                row("no colon", "GET / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding chunked\r\n\r\n" + SMUGGLED,
                        400),
                // 37: HTTP/2.0 request line: unknown framing rules
                row("HTTP/2.0", "GET / HTTP/2.0\r\nHost: app.test\r\n\r\n" + SMUGGLED, 505),
                // 38: the HTTP/2 connection preface on an HTTP/1 port
                row("h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + SMUGGLED, 505),
                // 39: HTTP/1.2
                row("HTTP/1.2", "GET / HTTP/1.2\r\nHost: app.test\r\n\r\n" + SMUGGLED, 505),
                // 40: lower-case version name (RFC 9112 §2.3: case-sensitive)
                row("http/1.1", "GET / http/1.1\r\nHost: app.test\r\n\r\n" + SMUGGLED, 400),
                // 41: HTTP/0.9 (no version): the response would have no head
                row("HTTP/0.9", "GET /\r\n\r\n" + SMUGGLED, 400),
                // 42: two spaces in the request line
                row("double space", "GET  / HTTP/1.1\r\nHost: app.test\r\n\r\n" + SMUGGLED, 400),
                // 43: HTTP/1.1 without Host
                row("no Host", "GET / HTTP/1.1\r\n\r\n" + SMUGGLED, 400),
                // 44: two Host fields: the policy and the upstream could pick different ones
                row("two Host", "GET / HTTP/1.1\r\nHost: app.test\r\nHost: evil.test\r\n\r\n" + SMUGGLED, 400),
                // 45: two equal Host fields
                row("two equal Host", "GET / HTTP/1.1\r\nHost: app.test\r\nHost: app.test\r\n\r\n" + SMUGGLED, 400),
                // 46: more than two empty lines before the request line
                row("leading CRLFs", "\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: app.test\r\n\r\n" + SMUGGLED, 400),
                // 47: a request line over max_request_line_bytes (8192): the rest cannot be framed
                row("long request line", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: app.test\r\n\r\n"
                        + SMUGGLED, 414),
                // 48: more than max_headers (100) fields
                row("too many headers", "GET / HTTP/1.1\r\nHost: app.test\r\n" + "X-N: v\r\n".repeat(101) + "\r\n"
                        + SMUGGLED, 431),
                // 49: a header section over max_header_bytes (16384)
                row("huge header", "GET / HTTP/1.1\r\nHost: app.test\r\nX-Big: " + "b".repeat(17000) + "\r\n\r\n"
                        + SMUGGLED, 431),
                // 50: a declared body over the route's limit (64 KiB here), refused before any body byte is read
                row("CL over limit", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 70000\r\n\r\n" + SMUGGLED,
                        413),
                // 51: Content_Length: no framing to the gateway, Content-Length to a CGI-style upstream (CL.CL)
                row("Content_Length", "POST / HTTP/1.1\r\nHost: app.test\r\nContent_Length: 5\r\n\r\nhello"
                        + SMUGGLED, 400),
                // 52: the same look-alike next to the real one, disagreeing with it
                row("CL + Content_Length", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 0\r\n"
                        + "Content_Length: 5\r\n\r\nhello" + SMUGGLED, 400),
                // 53: another odd byte for '-', upper case
                row("CONTENT.LENGTH", "POST / HTTP/1.1\r\nHost: app.test\r\nCONTENT.LENGTH: 5\r\n\r\nhello"
                        + SMUGGLED, 400),
                // 54: Transfer_Encoding with Content-Length: 0 — TE.CL for an upstream that maps '_' to '-'
                row("CL + Transfer_Encoding", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 0\r\n"
                        + "Transfer_Encoding: chunked\r\n\r\n" + SMUGGLED, 400),
                // 55: Transfer_Encoding alone, CGI upper case
                row("TRANSFER_ENCODING", "POST / HTTP/1.1\r\nHost: app.test\r\nTRANSFER_ENCODING: chunked\r\n\r\n"
                        + "0\r\n\r\n" + SMUGGLED, 400),
                // 56: Transfer~Encoding: '~' is a tchar too
                row("Transfer~Encoding", "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer~Encoding: chunked\r\n\r\n"
                        + "0\r\n\r\n" + SMUGGLED, 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousHeads")
    void ambiguousHeadIsRefusedAndClosedAndNothingReachesUpstream(String name, String request, int status)
            throws Exception {
        int before = gateway.upstream().requestCount();

        assertRefusedAndClosed(request, status);

        assertOnlySentinelReachedUpstream(before);
    }

    /**
     * Rejected inside a chunked body. The head of the outer request was already streamed to the upstream; the
     * gateway must then abort that upstream request (closing the connection, so the upstream never sees a complete
     * request) and must never pass on what follows the bad chunk.
     */
    static Stream<Arguments> malformedChunks() {
        return Stream.of(
                // 1: a 0x prefix: parsers that accept it read size 5, others size 0
                row("size 0x5", chunkedPost("0x5\r\nhello\r\n0\r\n\r\n"), 400),
                // 2: a sign
                row("size -1", chunkedPost("-1\r\nhello\r\n0\r\n\r\n"), 400),
                // 3: a space after the size
                row("size SP", chunkedPost("5 \r\nhello\r\n0\r\n\r\n"), 400),
                // 4: a space before the size
                row("SP size", chunkedPost(" 5\r\nhello\r\n0\r\n\r\n"), 400),
                // 5: more hex digits than a long holds: wraps around to 5 in a 64-bit parser
                row("size overflow", chunkedPost("10000000000000005\r\nhello\r\n0\r\n\r\n"), 400),
                // 6: sixteen digits with the top bit set: negative as a signed long
                row("size negative long", chunkedPost("8000000000000005\r\nhello\r\n0\r\n\r\n"), 400),
                // 7: no size at all
                row("size empty", chunkedPost("\r\nhello\r\n0\r\n\r\n"), 400),
                // 8: missing CRLF after the chunk data: "hello0" read as data by one parser, a size by another
                row("no CRLF after data", chunkedPost("5\r\nhello0\r\n\r\n"), 400),
                // 9: chunk data longer than its size
                row("data longer than size", chunkedPost("3\r\nhello\r\n0\r\n\r\n"), 400),
                // 10: bare LF after the size
                row("size bare LF", chunkedPost("5\nhello\r\n0\r\n\r\n"), 400),
                // 11: bare LF after the data
                row("data bare LF", chunkedPost("5\r\nhello\n0\r\n\r\n"), 400),
                // 12: bare CR after the size
                row("size bare CR", chunkedPost("5\rhello\r\n0\r\n\r\n"), 400),
                // 13: an extension with whitespace (parsers that stop at the space read another size)
                row("extension BWS", chunkedPost("5 ;a=b\r\nhello\r\n0\r\n\r\n"), 400),
                // 14: an extension with a bare LF in a quoted value
                row("extension LF", chunkedPost("5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n"), 400),
                // 15: an extension without a name
                row("extension empty", chunkedPost("5;\r\nhello\r\n0\r\n\r\n"), 400),
                // 16: a trailer with obs-fold
                row("trailer obs-fold", chunkedPost("5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n"), 400),
                // 17: a trailer with whitespace before the colon
                row("trailer SP colon", chunkedPost("5\r\nhello\r\n0\r\nX-T : a\r\n\r\n"), 400),
                // 18: a chunk size far over the route's body limit (64 KiB here)
                row("huge size", chunkedPost("fffffffffffffff\r\nhello\r\n0\r\n\r\n"), 413),
                // 19: framing in the trailer section: a parser that merges trailers into the head sees a second
                // Transfer-Encoding (RFC 9110 §6.5.1: framing fields may not be trailers)
                row("trailer Transfer-Encoding", chunkedPost("5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n"),
                        400),
                // 20: Content-Length as a trailer
                row("trailer Content-Length", chunkedPost("5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n"), 400),
                // 21: routing in the trailer section: a second Host after the policy decided on the first
                row("trailer Host", chunkedPost("5\r\nhello\r\n0\r\nHost: evil.test\r\n\r\n"), 400),
                // 22: a framing look-alike as a trailer
                row("trailer content_length", chunkedPost("5\r\nhello\r\n0\r\ncontent_length: 5\r\n\r\n"), 400),
                // 23: connection control as a trailer
                row("trailer Connection", chunkedPost("5\r\nhello\r\n0\r\nConnection: close\r\n\r\n"), 400),
                // 24: a forbidden trailer after a harmless one
                row("trailer X-T then TE", chunkedPost("5\r\nhello\r\n0\r\nX-T: a\r\nTRANSFER-ENCODING: chunked\r\n"
                        + "\r\n"), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedChunks")
    void malformedChunkIsRefusedAndClosedAndNothingCompleteReachesUpstream(String name, String request, int status)
            throws Exception {
        assertRefusedAndClosed(request, status);

        List<RecordedRequest> attack = recordedForAttack();
        // At most the outer request's head, cut off; never complete, never the smuggled GET /admin.
        assertThat(attack).allSatisfy(r -> {
            assertThat(r.requestLine()).isEqualTo("POST /upload HTTP/1.1");
            assertThat(r.complete()).isFalse();
        });
    }

    @Test
    void validChunkedBodyIsReframedAndWhatFollowsIsAnOrdinaryPolicyCheckedRequest() throws Exception {
        // Upper-case CHUNKED and a leading tab are valid (case-insensitive coding, OWS). The gateway decodes the body
        // itself; the GET /admin behind it is a pipelined request of its own and is denied by the policy.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding:\tCHUNKED\r\n\r\n"
                    + "5;ext=\"v\"\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n" + SMUGGLED);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(403);
        }

        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("POST /upload HTTP/1.1");
        assertThat(received.headers("Transfer-Encoding")).containsExactly("chunked");
        assertThat(received.bodyText()).isEqualTo("hello");
        assertThat(new String(received.rawBody(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("ext").doesNotContain("X-Trailer");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void contentLengthBodyThatLooksLikeARequestStaysABody() throws Exception {
        // The body is data, whatever it looks like: the upstream gets one POST whose body is the "request".
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n"
                    + SMUGGLED);
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }

        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("POST / HTTP/1.1");
        assertThat(received.header("Content-Length")).isEqualTo(Integer.toString(SMUGGLED.length()));
        assertThat(received.bodyText()).isEqualTo(SMUGGLED);
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    @Test
    void http10RequestIsForwardedAsHttp11WithItsOwnFraming() throws Exception {
        // HTTP/1.0 with Content-Length is fine; the gateway closes after it (no keep-alive asked for) and the
        // bytes after the body are never read as a request.
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("POST /old HTTP/1.0\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED);
            RawResponse response = client.readResponse(WAIT);
            assertThat(response.status()).isEqualTo(200);
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }

        RecordedRequest received = gateway.upstream().takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("POST /old HTTP/1.1");
        assertThat(received.bodyText()).isEqualTo("hello");
        assertThat(gateway.upstream().takeRequest(QUIET)).isNull();
    }

    // --- helpers ---

    private void assertRefusedAndClosed(String request, int status) throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send(request);
            RawResponse response = client.readResponse(WAIT);
            assertThat(response.status()).as("status of %s", response.statusLine()).isEqualTo(status);
            assertThat(client.isClosedByPeer(WAIT)).as("connection closed after the refusal").isTrue();
        }
    }

    /**
     * Sends a sentinel request on a new connection and returns every other request the upstream recorded up to it
     * and for a short quiet time after it: what the gateway forwarded for the attack. Never {@code /admin}.
     */
    private List<RecordedRequest> recordedForAttack() throws Exception {
        Sentinel.send(gateway.port());
        List<RecordedRequest> attack = new ArrayList<>();
        while (true) {
            RecordedRequest next = gateway.upstream().takeRequest(WAIT);
            assertThat(next).as("the sentinel reaches the upstream").isNotNull();
            if (next.requestLine().equals(Sentinel.REQUEST_LINE)) {
                break;
            }
            attack.add(next);
        }
        RecordedRequest next;
        while ((next = gateway.upstream().takeRequest(QUIET)) != null) {
            attack.add(next);
        }
        assertThat(attack).noneSatisfy(r -> assertThat(r.path()).startsWith("/admin"));
        return attack;
    }

    private void assertOnlySentinelReachedUpstream(int before) throws Exception {
        assertThat(recordedForAttack()).isEmpty();
        assertThat(gateway.upstream().requestCount()).isEqualTo(before + 1);
    }

    private static Arguments row(String name, String request, int status) {
        return Arguments.of(name, request, status);
    }

    /** A chunked POST with one extra framing header line, a body that ends at once, and the smuggled request. */
    private static String teRequest(String transferEncodingLines) {
        return "POST / HTTP/1.1\r\nHost: app.test\r\n" + transferEncodingLines + "\r\n0\r\n\r\n" + SMUGGLED;
    }

    private static String chunkedPost(String body) {
        return "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n" + body + SMUGGLED;
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }
}
