package org.portcullis.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream responses: framing per RFC 9112 §6.3, and the upstream misbehaviour the gateway must not relay. */
class StrictHttpResponseDecoderTest {
    private static final Http1Limits LIMITS = new Http1Limits(100, 300, 10, Long.MAX_VALUE);
    private static final List<HttpMethod> GET = List.of(HttpMethod.GET);

    static Stream<Arguments> validResponses() {
        return Stream.of(
                // Content-Length body
                arguments(GET, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                        List.of("HTTP/1.1 200 {Content-Length=5}", "body[hello]")),
                // chunked body with an extension and a trailer
                arguments(GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
                        List.of("HTTP/1.1 200 {Transfer-Encoding=chunked}", "body[hello]")),
                // a response to HEAD has no body whatever Content-Length says
                arguments(List.of(HttpMethod.HEAD), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
                        List.of("HTTP/1.1 200 {Content-Length=5}", "body[]")),
                // 204 has no body
                arguments(GET, "HTTP/1.1 204 No Content\r\n\r\n", List.of("HTTP/1.1 204", "body[]")),
                // 304 has no body even with the representation's Content-Length
                arguments(GET, "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n",
                        List.of("HTTP/1.1 304 {Content-Length=99}", "body[]")),
                // interim 100 and 103 before the final response
                arguments(GET, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        List.of("interim 100", "interim 103 {Link=</s.css>}", "HTTP/1.1 200 {Content-Length=2}",
                                "body[ok]")),
                // empty reason phrase, with and without its space; HTTP/1.0
                arguments(List.of(HttpMethod.GET, HttpMethod.GET),
                        "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\nHTTP/1.0 404\r\nContent-Length: 1\r\n\r\nx",
                        List.of("HTTP/1.1 200 {Content-Length=0}", "body[]", "HTTP/1.0 404 {Content-Length=1}",
                                "body[x]")),
                // two pipelined responses for two outstanding requests
                arguments(List.of(HttpMethod.HEAD, HttpMethod.GET),
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
                        List.of("HTTP/1.1 200 {Content-Length=3}", "body[]", "HTTP/1.1 200 {Content-Length=3}",
                                "body[abc]")),
                // 101: the response, then everything else raw (a tunnel)
                arguments(GET, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi",
                        List.of("HTTP/1.1 101 {Upgrade=websocket}", "body[]", "raw[\u0081\u0002hi]")));
    }

    @ParameterizedTest
    @MethodSource("validResponses")
    void decodesValidResponses(List<HttpMethod> methods, String input, List<String> expected) {
        assertThat(joinRaw(decode(methods, List.of(input), false))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("validResponses")
    void givesTheSameResultWhateverTheReadBoundaries(List<HttpMethod> methods, String input, List<String> expected) {
        assertThat(joinRaw(decode(methods, Transcript.singleBytes(input), false))).isEqualTo(expected);
        for (int cut = 1; cut < input.length(); cut++) {
            assertThat(joinRaw(decode(methods, List.of(input.substring(0, cut), input.substring(cut)), false)))
                    .as("split at %d", cut).isEqualTo(expected);
        }
    }

    static Stream<Arguments> brokenResponses() {
        String ok = "HTTP/1.1 200 OK\r\n";
        return Stream.of(
                // body longer than declared, in one read: response splitting; nothing of it may be relayed
                arguments(GET, ok + "Content-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\n\r\nevil", "MALFORMED_REQUEST_LINE"),
                // one extra byte
                arguments(GET, ok + "Content-Length: 5\r\n\r\nhello!", "MALFORMED_REQUEST_LINE"),
                // a body after a response to HEAD
                arguments(List.of(HttpMethod.HEAD), ok + "Content-Length: 5\r\n\r\nhello", "MALFORMED_REQUEST_LINE"),
                // a body after 204
                arguments(GET, "HTTP/1.1 204 No Content\r\n\r\nhello", "MALFORMED_REQUEST_LINE"),
                // bytes after the last chunk
                arguments(GET, ok + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", "MALFORMED_REQUEST_LINE"),
                // CL and TE together
                arguments(GET, ok + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "CONTENT_LENGTH_AND_TRANSFER_ENCODING"),
                // two Content-Length fields
                arguments(GET, ok + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "MULTIPLE_CONTENT_LENGTH"),
                // Content-Length list
                arguments(GET, ok + "Content-Length: 5,5\r\n\r\nhello", "MULTIPLE_CONTENT_LENGTH"),
                // bad Content-Length
                arguments(GET, ok + "Content-Length: -5\r\n\r\nhello", "INVALID_CONTENT_LENGTH"),
                // a coding other than chunked
                arguments(GET, ok + "Transfer-Encoding: gzip\r\n\r\nxyz", "UNSUPPORTED_TRANSFER_ENCODING"),
                // chunked in an HTTP/1.0 response
                arguments(GET, "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "TRANSFER_ENCODING_IN_HTTP10"),
                // malformed chunk size
                arguments(GET, ok + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", "MALFORMED_CHUNK"),
                // chunk data without CRLF
                arguments(GET, ok + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n", "MALFORMED_CHUNK"),
                // bare LF in a header line
                arguments(GET, ok + "Content-Length: 2\n\r\nok", "BARE_LF"),
                // obs-fold
                arguments(GET, ok + "Set-Cookie: a=1\r\n b=2\r\nContent-Length: 2\r\n\r\nok", "OBS_FOLD"),
                // NUL in a header value
                arguments(GET, ok + "X: a\u0000b\r\nContent-Length: 2\r\n\r\nok", "CONTROL_CHAR_IN_HEADER"),
                // header section over the limit
                arguments(GET, ok + "X: " + "v".repeat(400) + "\r\n\r\n", "HEADERS_TOO_LARGE"),
                // too many header fields
                arguments(GET, ok + "X: 1\r\n".repeat(11) + "\r\n", "TOO_MANY_HEADERS"),
                // HTTP/2 status line
                arguments(GET, "HTTP/2 200 OK\r\n\r\n", "MALFORMED_REQUEST_LINE"),
                // unsupported version
                arguments(GET, "HTTP/1.2 200 OK\r\n\r\n", "UNSUPPORTED_HTTP_VERSION"),
                // two-digit status
                arguments(GET, "HTTP/1.1 20 OK\r\n\r\n", "MALFORMED_REQUEST_LINE"),
                // status out of range
                arguments(GET, "HTTP/1.1 600 Odd\r\n\r\n", "MALFORMED_REQUEST_LINE"),
                // control byte in the reason phrase
                arguments(GET, "HTTP/1.1 200 O\u0001K\r\n\r\n", "CONTROL_CHAR_IN_HEADER"),
                // bytes from the upstream although no request was written
                arguments(List.of(), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "MALFORMED_REQUEST_LINE"));
    }

    @ParameterizedTest
    @MethodSource("brokenResponses")
    void replacesABrokenResponseByOneError(List<HttpMethod> methods, String input, String reason) {
        List<String> out = decode(methods, List.of(input), false);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).startsWith("error " + reason + ":");
    }

    @Test
    void anErrorAfterRelayedPartsStillEndsTheResponse() {
        List<String> out = decode(GET, List.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
                "5\nhello\r\n0\r\n\r\n"), false);
        assertThat(out).containsExactly("HTTP/1.1 200 {Transfer-Encoding=chunked}",
                "error MALFORMED_CHUNK: chunk size line not ended by CRLF");
    }

    @Test
    void bytesArrivingLaterWhileNoRequestIsOutstandingAreAnError() {
        List<String> out = decode(GET, List.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "surprise"), false);
        assertThat(out).containsExactly("HTTP/1.1 200 {Content-Length=2}", "body[ok]",
                "error MALFORMED_REQUEST_LINE: bytes from upstream with no request outstanding");
    }

    @Test
    void bodyWithoutLengthEndsWhenTheUpstreamCloses() {
        assertThat(decode(GET, List.of("HTTP/1.1 200 OK\r\n\r\nabc", "def"), true))
                .containsExactly("HTTP/1.1 200", "body[abcdef]");
    }

    @Test
    void closingInTheMiddleOfABodyIsAnError() {
        assertThat(decode(GET, List.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"), true))
                .containsExactly("HTTP/1.1 200 {Content-Length=10}",
                        "error CLOSED: upstream closed before the end of the body");
    }

    @Test
    void closingBeforeRespondingIsAnErrorOnlyWhenAResponseIsOwed() {
        assertThat(decode(GET, List.of(), true)).containsExactly("error CLOSED: upstream closed before responding");
        assertThat(decode(List.of(), List.of(), true)).isEmpty();
        assertThat(decode(GET, List.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), true))
                .containsExactly("HTTP/1.1 200 {Content-Length=0}", "body[]");
    }

    @Test
    void closingInTheMiddleOfAHeadIsAnError() {
        assertThat(decode(GET, List.of("HTTP/1.1 200 OK\r\nContent-"), true))
                .containsExactly("error CLOSED: upstream closed in the middle of a response head");
    }

    @Test
    void defaultResponseLimitAllows64KiBOfHeaders() {
        String cookie = "Set-Cookie: c=" + "x".repeat(60_000) + "\r\n";
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpResponseDecoder(Http1Limits.responseDefaults()));
        channel.pipeline().get(StrictHttpResponseDecoder.class).expectResponseTo(HttpMethod.GET);
        List<String> out = Transcript.feed(channel, "HTTP/1.1 200 OK\r\n" + cookie + "Content-Length: 0\r\n\r\n");
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isEqualTo("body[]");

        channel.pipeline().get(StrictHttpResponseDecoder.class).expectResponseTo(HttpMethod.GET);
        out = Transcript.feed(channel, "HTTP/1.1 200 OK\r\n" + cookie + cookie + "\r\n");
        assertThat(out).containsExactly("error HEADERS_TOO_LARGE: header section larger than the limit");
        assertFalse(channel.finishAndReleaseAll());
    }

    private static List<String> decode(List<HttpMethod> methods, List<String> pieces, boolean close) {
        StrictHttpResponseDecoder decoder = new StrictHttpResponseDecoder(LIMITS);
        methods.forEach(decoder::expectResponseTo);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        Transcript transcript = new Transcript();
        transcript.write(channel, pieces);
        if (close) {
            transcript.close(channel);
        }
        assertFalse(channel.finishAndReleaseAll());
        return transcript.lines();
    }

    /** Raw tunnel bytes arrive in as many pieces as were written; join neighbours for comparison. */
    private static List<String> joinRaw(List<String> lines) {
        List<String> joined = new ArrayList<>();
        for (String line : lines) {
            int last = joined.size() - 1;
            if (line.startsWith("raw[") && last >= 0 && joined.get(last).startsWith("raw[")) {
                String previous = joined.get(last);
                joined.set(last, previous.substring(0, previous.length() - 1) + line.substring(4));
            } else {
                joined.add(line);
            }
        }
        return joined;
    }
}
