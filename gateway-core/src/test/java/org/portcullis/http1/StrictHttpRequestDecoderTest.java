package org.portcullis.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests the decoder must accept, and what the gateway sees of them. */
class StrictHttpRequestDecoderTest {
    private static final Http1Limits LIMITS = StrictHttpRequestDecoderAttackTest.LIMITS;

    static Stream<Arguments> validRequests() {
        return Stream.of(
                // plain GET: names as sent, values without surrounding OWS
                arguments("GET /a?b=c HTTP/1.1\r\nHost: a.test\r\nX-Case:  v 1 \t\r\nx-empty:\r\n\r\n",
                        List.of("GET /a?b=c HTTP/1.1 {Host=a.test} {X-Case=v 1} {x-empty=}", "body[]")),
                // keep-alive pipelining: two requests from one read, each emitted on its own
                arguments("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
                        List.of("GET /1 HTTP/1.1 {Host=a}", "body[]", "GET /2 HTTP/1.1 {Host=a}", "body[]")),
                // POST with Content-Length, then a pipelined GET
                arguments("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                        List.of("POST /p HTTP/1.1 {Host=a} {Content-Length=5}", "body[hello]",
                                "GET / HTTP/1.1 {Host=a}", "body[]")),
                // chunked with extensions (token and quoted values) and trailers: de-chunked, trailers dropped
                arguments("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "5;name=value;q=\"a \\\"b\\\"\"\r\nhello\r\n6;flag\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
                        List.of("POST /c HTTP/1.1 {Host=a} {Transfer-Encoding=chunked}", "body[hello world]")),
                // upper-case hex sizes and an upper-case coding name (transfer-coding names are case-insensitive)
                arguments("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
                        List.of("POST /c HTTP/1.1 {Host=a} {Transfer-Encoding=CHUNKED}", "body[0123456789]")),
                // leading HTAB is OWS: still exactly chunked
                arguments("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        List.of("POST /c HTTP/1.1 {Host=a} {Transfer-Encoding=chunked}", "body[abc]")),
                // two empty lines before a request are tolerated (RFC 9112 §2.2)
                arguments("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", List.of("GET / HTTP/1.1 {Host=a}", "body[]")),
                // HTTP/1.0 may omit Host
                arguments("GET / HTTP/1.0\r\n\r\n", List.of("GET / HTTP/1.0", "body[]")),
                // obs-text in a value is allowed (legacy Latin-1 file names)
                arguments("GET / HTTP/1.1\r\nHost: a\r\nX-File: caf\u00e9\r\n\r\n",
                        List.of("GET / HTTP/1.1 {Host=a} {X-File=caf\u00e9}", "body[]")),
                // Content-Length: 0 and leading zeros are plain numbers
                arguments("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\nPUT / HTTP/1.1\r\nHost: a\r\n"
                                + "Content-Length: 003\r\n\r\nabc",
                        List.of("POST / HTTP/1.1 {Host=a} {Content-Length=0}", "body[]",
                                "PUT / HTTP/1.1 {Host=a} {Content-Length=003}", "body[abc]")),
                // unknown methods and absolute-form targets pass; the canonicalizer judges them
                arguments("PROPFIND http://a/x HTTP/1.1\r\nHost: a\r\n\r\n",
                        List.of("PROPFIND http://a/x HTTP/1.1 {Host=a}", "body[]")));
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void decodesValidRequests(String input, List<String> expected) {
        assertThat(decode(List.of(input))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void givesTheSameResultWhateverTheReadBoundaries(String input, List<String> expected) {
        assertThat(decode(Transcript.singleBytes(input))).isEqualTo(expected);
        for (int cut = 1; cut < input.length(); cut++) {
            assertThat(decode(List.of(input.substring(0, cut), input.substring(cut))))
                    .as("split at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void streamsTheBodyAsItArrivesWithoutCopying() {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(LIMITS));
        channel.writeInbound(Transcript.bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhel"));
        HttpRequest request = channel.readInbound();
        assertThat(request.method().name()).isEqualTo("POST");
        HttpContent first = channel.readInbound();
        assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hel");
        assertThat(first.content().unwrap()).as("a slice of the input, not a copy").isNotNull();
        first.release();
        Object nothing = channel.readInbound();
        assertThat(nothing).isNull();
        channel.writeInbound(Transcript.bytes("lo"), Transcript.bytes("world"));
        HttpContent second = channel.readInbound();
        assertThat(second.content().toString(StandardCharsets.US_ASCII)).isEqualTo("lo");
        HttpContent last = channel.readInbound();
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(last.content().toString(StandardCharsets.US_ASCII)).isEqualTo("world");
        second.release();
        last.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void transferEncodingWithUnderscoreIsRefusedAsAFramingLookalike() {
        // Transfer_Encoding is no framing to the gateway but Transfer-Encoding to a CGI-style upstream: refused.
        assertThat(decode(List.of("GET / HTTP/1.1\r\nHost: a\r\nTransfer_Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n")))
                .containsExactly("rejected FRAMING_FIELD_LOOKALIKE");
    }

    @Test
    void smuggledRequestInsideAValidBodyStaysBody() {
        String inner = "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n";
        assertThat(decode(List.of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + inner.length() + "\r\n\r\n"
                + inner)))
                .containsExactly("POST / HTTP/1.1 {Host=a} {Content-Length=" + inner.length() + "}",
                        "body[" + inner + "]");
    }

    @Test
    void routeCanLowerTheBodyLimitAfterSeeingTheHead() {
        EmbeddedChannel channel = withBodyLimit(4);
        assertThat(Transcript.feed(channel, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"))
                .containsExactly("POST / HTTP/1.1 {Host=a} {Content-Length=5}", "rejected BODY_TOO_LARGE");
        assertFalse(channel.finishAndReleaseAll());

        channel = withBodyLimit(4);
        assertThat(Transcript.feed(channel,
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"))
                .containsExactly("POST / HTTP/1.1 {Host=a} {Transfer-Encoding=chunked}", "rejected BODY_TOO_LARGE");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void routeCanRaiseTheBodyLimitAboveTheDefault() {
        String body = "b".repeat(1500);
        EmbeddedChannel channel = withBodyLimit(2000);
        assertThat(Transcript.feed(channel, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1500\r\n\r\n" + body
                + "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5dc\r\n" + body + "\r\n0\r\n\r\n"))
                .containsExactly("POST / HTTP/1.1 {Host=a} {Content-Length=1500}", "body[" + body + "]",
                        "POST / HTTP/1.1 {Host=a} {Transfer-Encoding=chunked}", "body[" + body + "]");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void eachRequestStartsWithTheDefaultBodyLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(LIMITS));
        StrictHttpRequestDecoder decoder = channel.pipeline().get(StrictHttpRequestDecoder.class);
        decoder.setBodyLimit(5000);
        List<String> out = Transcript.feed(channel,
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n" + "x".repeat(1001));
        assertThat(out).containsExactly("POST / HTTP/1.1 {Host=a} {Content-Length=1001}", "rejected BODY_TOO_LARGE");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void passesBufferedBytesOnWhenTheGatewayRemovesItForATunnel() {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(LIMITS));
        List<Object> seen = new ArrayList<>();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            private boolean upgrade;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof HttpRequest request) {
                    upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
                } else if (msg instanceof LastHttpContent && upgrade) {
                    // as documented: remove on the last content, so the raw bytes come after it
                    ctx.pipeline().remove(StrictHttpRequestDecoder.class);
                }
            }
        });
        channel.writeInbound(Transcript.bytes("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\n\r\n\u0081\u0005frame"));
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).isInstanceOf(HttpRequest.class);
        assertThat(seen.get(1)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        ByteBuf raw = (ByteBuf) seen.get(2);
        assertThat(raw.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0081\u0005frame");
        seen.forEach(ReferenceCountUtil::release);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void decodedHeadersReencodeExactlyAsValidatedForTheUpstream() {
        EmbeddedChannel decoder = new EmbeddedChannel(new StrictHttpRequestDecoder(LIMITS));
        decoder.writeInbound(Transcript.bytes("GET /x HTTP/1.1\r\nhost:  a.test \r\nX-Y:\tv\r\n\r\n"));
        HttpRequest request = decoder.readInbound();
        Object last = decoder.readInbound();
        assertThat(last).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(request.headers().get("HOST")).isEqualTo("a.test");
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
        encoder.writeOutbound(request);
        ByteBuf encoded = encoder.readOutbound();
        assertThat(encoded.toString(StandardCharsets.ISO_8859_1))
                .isEqualTo("GET /x HTTP/1.1\r\nhost: a.test\r\nX-Y: v\r\n\r\n");
        encoded.release();
        assertFalse(decoder.finishAndReleaseAll());
        assertFalse(encoder.finishAndReleaseAll());
    }

    private static EmbeddedChannel withBodyLimit(long limit) {
        StrictHttpRequestDecoder decoder = new StrictHttpRequestDecoder(LIMITS);
        return new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    decoder.setBodyLimit(limit);
                }
                ctx.fireChannelRead(msg);
            }
        });
    }

    private static List<String> decode(List<String> pieces) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(LIMITS));
        List<String> out = Transcript.feed(channel, pieces);
        assertFalse(channel.finishAndReleaseAll());
        return out;
    }
}
