package org.portcullis.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Objects;
import org.portcullis.ingress.RejectReason;
import org.portcullis.ingress.RequestRejected;

/**
 * Strict HTTP/1.0 and HTTP/1.1 request decoder for the client side, in place of the decoder half of
 * {@code HttpServerCodec} (Netty's decoder accepts Content-Length with Transfer-Encoding, a missing Host, LF line
 * ends and more). Responses still go out through Netty's {@code HttpResponseEncoder}:
 * <pre>{@code
 * pipeline.addLast("requestDecoder", new StrictHttpRequestDecoder(Http1Limits.from(config.limits())));
 * pipeline.addLast("responseEncoder", new HttpResponseEncoder());
 * pipeline.addLast("ingress", ...);   // routes; may call setBodyLimit(...) while it handles the HttpRequest
 * }</pre>
 *
 * <h2>Output</h2>
 * Per request: one {@link DefaultHttpRequest} (headers in a non-validating {@code DefaultHttpHeaders}, since every
 * byte was validated here; names as sent, values without surrounding OWS), then zero or more
 * {@link DefaultHttpContent} retained slices of the input as bytes arrive (the body is streamed, never aggregated;
 * a chunked body arrives de-chunked), then a {@link LastHttpContent}. Pipelined requests follow one by one from the
 * same buffer. A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3 rule 7).
 *
 * <h2>Refusals</h2>
 * On the first violation the decoder emits one {@link RequestRejected} and from then on discards every byte the
 * connection sends: after a framing error nobody knows where the next request starts, so the gateway answers the
 * refusal and closes (every reason used here has {@code closesConnection()}). A refusal may come after the request
 * head was already emitted (bad chunk, body over the limit): the handler must then abort that request.
 * <ul>
 *   <li>Up to {@link #MAX_LEADING_EMPTY_LINES} empty CRLF lines before a request line are skipped (RFC 9112 §2.2:
 *       some clients send a CRLF after a POST body); a third one is MALFORMED_REQUEST_LINE.</li>
 *   <li>Request line: see {@link RequestLine}; longer than {@link Http1Limits#maxStartLineBytes()}:
 *       REQUEST_LINE_TOO_LONG (414).</li>
 *   <li>Field lines: see {@link FieldLineParser}; sizes: HEADERS_TOO_LARGE / TOO_MANY_HEADERS (431).</li>
 *   <li>Framing and Host: see {@link FramingFields}.</li>
 *   <li>Chunked bodies: see {@link ChunkedBodyDecoder}.</li>
 *   <li>Body size: BODY_TOO_LARGE (413), for Content-Length before any body byte is passed on, for chunked bodies
 *       as each chunk size is read.</li>
 * </ul>
 *
 * <h2>Per-route body limit</h2>
 * Every request starts with {@link Http1Limits#maxBodyBytes()}. The decoder returns after emitting a head that has a
 * body, so {@code ByteToMessageDecoder} passes the head on before any body byte is decoded: a handler that routes the
 * request calls {@link #setBodyLimit(long)} synchronously from its {@code channelRead} of the {@code HttpRequest},
 * and the new limit applies to that request's body (raised or lowered). The check runs when body bytes arrive; a
 * handler that answers {@code Expect: 100-continue} should compare Content-Length with the route limit itself
 * before inviting the body.
 *
 * <h2>Upgrades</h2>
 * Nothing special: when the gateway removes this decoder to tunnel a connection, {@code ByteToMessageDecoder}
 * passes the bytes it had buffered on as a {@code ByteBuf}. Remove it while handling the upgrade request's
 * {@code LastHttpContent} or later, never while handling its head: on removal the buffered bytes are passed on at
 * once, ahead of messages still waiting in the decoder's output. The decoder keeps parsing bytes that follow an
 * upgrade request as HTTP until it is removed, so the gateway should stop reading when it sees an upgrade request
 * and treat any further request before the upstream's answer as an error. {@code Expect} is an ordinary header.
 */
public final class StrictHttpRequestDecoder extends ByteToMessageDecoder {
    /** RFC 9112 §2.2 asks to ignore "at least one" empty line before a request line; two covers real clients. */
    public static final int MAX_LEADING_EMPTY_LINES = 2;

    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private enum State { START, HEAD, FIXED_BODY, CHUNKED_BODY, BAD }

    private final Http1Limits limits;
    private final HeadScanner scanner = new HeadScanner(RejectReason.REQUEST_LINE_TOO_LONG);
    private final FramingFields framing = new FramingFields();
    private final ChunkedBodyDecoder chunked = new ChunkedBodyDecoder();
    private State state = State.START;
    private int emptyLines;
    private long bodyLimit;
    private long bodyRemaining;
    private long bodyReceived;

    public StrictHttpRequestDecoder(Http1Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.bodyLimit = limits.maxBodyBytes();
    }

    /**
     * Sets the body limit of the request whose head was emitted last (see the class comment for when to call it).
     * Must be called on the channel's event loop, like every handler method.
     */
    public void setBodyLimit(long maxBodyBytes) {
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("StrictHttpRequestDecoder: body limit must be >= 0 but is "
                    + maxBodyBytes);
        }
        bodyLimit = maxBodyBytes;
        chunked.bodyLimit(maxBodyBytes);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case START -> {
                    // skipping the empty lines may consume nothing, so go straight on with the head
                    if (skipEmptyLines(in)) {
                        decodeHead(in, out);
                    }
                }
                case HEAD -> decodeHead(in, out);
                case FIXED_BODY -> decodeFixedBody(in, out);
                case CHUNKED_BODY -> {
                    if (chunked.decode(in, out)) {
                        nextRequest();
                    }
                }
                case BAD -> in.skipBytes(in.readableBytes());
                default -> throw new IllegalStateException("StrictHttpRequestDecoder: unknown state " + state);
            }
        } catch (Http1Violation violation) {
            out.add(new RequestRejected(violation.reason(), violation.detail()));
            state = State.BAD;
            in.skipBytes(in.readableBytes());
        }
    }

    /** Returns true when a request line starts at the reader index. */
    private boolean skipEmptyLines(ByteBuf in) throws Http1Violation {
        while (in.isReadable()) {
            int reader = in.readerIndex();
            byte first = in.getByte(reader);
            if (first == ByteClasses.LF) {
                throw new Http1Violation(RejectReason.BARE_LF, "empty line ended by LF without CR");
            }
            if (first != ByteClasses.CR) {
                break;
            }
            if (in.readableBytes() < 2) {
                return false;
            }
            if (in.getByte(reader + 1) != ByteClasses.LF) {
                throw new Http1Violation(RejectReason.BARE_CR, "CR without LF before request line");
            }
            if (++emptyLines > MAX_LEADING_EMPTY_LINES) {
                throw new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE, "too many empty lines");
            }
            in.skipBytes(2);
        }
        if (!in.isReadable()) {
            return false;
        }
        scanner.reset(limits.maxStartLineBytes(), limits.maxHeaderBytes(), limits.maxHeaders());
        state = State.HEAD;
        return true;
    }

    private void decodeHead(ByteBuf in, List<Object> out) throws Http1Violation {
        int length = scanner.scan(in);
        if (length < 0) {
            return;
        }
        byte[] head = new byte[length];
        in.readBytes(head);
        RequestLine line = RequestLine.parse(head);
        HttpHeaders headers = HEADERS.newHeaders();
        framing.reset();
        FieldLineParser.parseSection(head, line.headEnd(), headers, framing);
        BodyFraming body = framing.checkRequest(line.version());
        out.add(new DefaultHttpRequest(line.version(), line.method(), line.target(), headers));
        bodyLimit = limits.maxBodyBytes();
        if (body == BodyFraming.CHUNKED) {
            chunked.start(bodyLimit, limits.maxHeaderBytes() - scanner.fieldBytes(length),
                    limits.maxHeaders() - scanner.fieldCount());
            state = State.CHUNKED_BODY;
        } else if (body == BodyFraming.FIXED && framing.contentLength() > 0) {
            bodyRemaining = framing.contentLength();
            bodyReceived = 0;
            state = State.FIXED_BODY;
        } else {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            nextRequest();
        }
        // Return without decoding body bytes: ByteToMessageDecoder passes the head on first (see setBodyLimit).
    }

    private void decodeFixedBody(ByteBuf in, List<Object> out) throws Http1Violation {
        if (bodyReceived + bodyRemaining > bodyLimit) {
            throw new Http1Violation(RejectReason.BODY_TOO_LARGE, "Content-Length larger than the limit");
        }
        int n = (int) Math.min(in.readableBytes(), bodyRemaining);
        bodyRemaining -= n;
        bodyReceived += n;
        if (bodyRemaining > 0) {
            out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        } else {
            out.add(new DefaultLastHttpContent(in.readRetainedSlice(n), EmptyHttpHeaders.INSTANCE));
            nextRequest();
        }
    }

    private void nextRequest() {
        state = State.START;
        emptyLines = 0;
    }
}
