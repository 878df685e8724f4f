package org.portcullis.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.portcullis.ingress.RejectReason;

/**
 * Strict HTTP/1.0 and HTTP/1.1 response decoder for upstream connections, in place of Netty's
 * {@code HttpResponseDecoder} (requests still go out through Netty's {@code HttpRequestEncoder}):
 * <pre>{@code
 * upstream.pipeline().addLast("responseDecoder", new StrictHttpResponseDecoder(Http1Limits.responseDefaults()));
 * upstream.pipeline().addLast("requestEncoder", new HttpRequestEncoder());
 * upstream.pipeline().addLast("backend", ...);
 * // before writing each request, on the upstream channel's event loop:
 * decoder.expectResponseTo(request.method());
 * }</pre>
 *
 * <h2>Output</h2>
 * Per response: any number of {@link InterimResponse} (1xx other than 101), then one {@link DefaultHttpResponse}
 * (non-validating headers; the reason phrase replaced by the standard one, see {@link StatusLine}), zero or more
 * {@link DefaultHttpContent} retained slices as bytes arrive, and a {@link LastHttpContent}. After a 101 the decoder
 * emits the response and an empty last content, and then passes every further byte on as a plain {@code ByteBuf}:
 * the connection is a tunnel.
 *
 * <h2>Framing (RFC 9112 §6.3)</h2>
 * <ol>
 *   <li>A response to HEAD, and every 1xx, 204 and 304 response, has no body whatever its fields say.</li>
 *   <li>Transfer-Encoding: exactly {@code chunked}, decoded by {@link ChunkedBodyDecoder}.</li>
 *   <li>Content-Length: exactly that many bytes.</li>
 *   <li>Neither: the body ends when the upstream closes; the last content is emitted on channel inactive or input
 *       shutdown.</li>
 * </ol>
 * The field rules are those of requests ({@link FieldLineParser}, {@link FramingFields}, without the Host rule).
 *
 * <h2>Errors</h2>
 * Any violation produces one {@link UpstreamProtocolError} ({@code "<RejectReason name>: <detail>"}; request-side
 * names are reused for the same rule) and the decoder then discards all input. The messages of the broken response
 * that are still waiting in this decode call's output are released and replaced by the error, so a response that
 * arrived in one read is never relayed in part. Errors besides the field rules:
 * <ul>
 *   <li>bytes left over when a response ends and no other request is outstanding (a body longer than
 *       Content-Length, a body after a HEAD/204/304 response, or bytes arriving while idle): response splitting or a
 *       desynchronised upstream, so the response just read is not trusted either;</li>
 *   <li>the upstream closing before a pending response, or in the middle of a head or of a delimited body;</li>
 *   <li>a head larger than {@link Http1Limits#maxHeaderBytes()} (64 KiB by default) or with too many fields.</li>
 * </ul>
 */
public final class StrictHttpResponseDecoder extends ByteToMessageDecoder {
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private enum State { IDLE, HEAD, FIXED_BODY, CHUNKED_BODY, UNTIL_CLOSE, TUNNEL, BAD, CLOSED }

    private final Http1Limits limits;
    private final ArrayDeque<HttpMethod> pending = new ArrayDeque<>();
    private final HeadScanner scanner = new HeadScanner(RejectReason.REQUEST_LINE_TOO_LONG);
    private final FramingFields framing = new FramingFields();
    private final ChunkedBodyDecoder chunked = new ChunkedBodyDecoder();
    private State state = State.IDLE;
    private long bodyRemaining;
    /** Index in the output list of the first message of the response being decoded. */
    private int responseStart;

    public StrictHttpResponseDecoder(Http1Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Announces that a request with this method is about to be written, so its response is expected (in order).
     * Call on the upstream channel's event loop before writing the request.
     */
    public void expectResponseTo(HttpMethod method) {
        pending.add(Objects.requireNonNull(method, "method"));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (out.isEmpty()) {
            // ByteToMessageDecoder passed the earlier messages on; an unfinished response continues from here.
            responseStart = 0;
        }
        try {
            decodeMessages(in, out);
        } catch (Http1Violation violation) {
            fail(in, out, violation.reason().name() + ": " + violation.detail());
        }
    }

    private void decodeMessages(ByteBuf in, List<Object> out) throws Http1Violation {
        while (true) {
            switch (state) {
                case IDLE -> {
                    if (!in.isReadable()) {
                        return;
                    }
                    if (pending.isEmpty()) {
                        throw new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE,
                                "bytes from upstream with no request outstanding");
                    }
                    scanner.reset(limits.maxStartLineBytes(), limits.maxHeaderBytes(), limits.maxHeaders());
                    state = State.HEAD;
                }
                case HEAD -> {
                    if (!decodeHead(in, out)) {
                        return;
                    }
                }
                case FIXED_BODY -> {
                    if (!in.isReadable()) {
                        return;
                    }
                    int n = (int) Math.min(in.readableBytes(), bodyRemaining);
                    bodyRemaining -= n;
                    if (bodyRemaining > 0) {
                        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
                        return;
                    }
                    out.add(new DefaultLastHttpContent(in.readRetainedSlice(n), EmptyHttpHeaders.INSTANCE));
                    complete(in, out);
                }
                case CHUNKED_BODY -> {
                    if (!chunked.decode(in, out)) {
                        return;
                    }
                    complete(in, out);
                }
                case UNTIL_CLOSE, TUNNEL -> {
                    if (in.isReadable()) {
                        ByteBuf bytes = in.readRetainedSlice(in.readableBytes());
                        out.add(state == State.TUNNEL ? bytes : new DefaultHttpContent(bytes));
                    }
                    return;
                }
                case BAD, CLOSED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException("StrictHttpResponseDecoder: unknown state " + state);
            }
        }
    }

    /** Returns false when more input is needed for the head. */
    private boolean decodeHead(ByteBuf in, List<Object> out) throws Http1Violation {
        int length = scanner.scan(in);
        if (length < 0) {
            return false;
        }
        byte[] head = new byte[length];
        in.readBytes(head);
        StatusLine line = StatusLine.parse(head);
        HttpHeaders headers = HEADERS.newHeaders();
        framing.reset();
        FieldLineParser.parseSection(head, line.headEnd(), headers, framing);
        BodyFraming body = framing.check(line.version());
        int code = line.status().code();
        if (code < 200 && code != 101) {
            out.add(new InterimResponse(line.version(), line.status(), headers));
            scanner.reset(limits.maxStartLineBytes(), limits.maxHeaderBytes(), limits.maxHeaders());
            return true;
        }
        HttpMethod method = pending.poll();
        responseStart = out.size();
        out.add(new DefaultHttpResponse(line.version(), line.status(), headers));
        if (code == 101) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            pending.clear();
            state = State.TUNNEL;
        } else if (HttpMethod.HEAD.equals(method) || code == 204 || code == 304) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            complete(in, out);
        } else if (body == BodyFraming.CHUNKED) {
            chunked.start(Long.MAX_VALUE, limits.maxHeaderBytes() - scanner.fieldBytes(length),
                    limits.maxHeaders() - scanner.fieldCount());
            state = State.CHUNKED_BODY;
        } else if (body == BodyFraming.FIXED && framing.contentLength() > 0) {
            bodyRemaining = framing.contentLength();
            state = State.FIXED_BODY;
        } else if (body == BodyFraming.FIXED) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            complete(in, out);
        } else {
            state = State.UNTIL_CLOSE;
        }
        return true;
    }

    /** A response ended; bytes behind it are only allowed when another response is expected. */
    private void complete(ByteBuf in, List<Object> out) throws Http1Violation {
        if (in.isReadable() && pending.isEmpty()) {
            throw new Http1Violation(RejectReason.MALFORMED_REQUEST_LINE,
                    "more bytes than the response declared, with no request outstanding");
        }
        state = State.IDLE;
        responseStart = out.size();
    }

    /** Replaces the broken response's messages still in {@code out} with one error and stops decoding. */
    private void fail(ByteBuf in, List<Object> out, String reason) {
        for (int i = out.size() - 1; i >= responseStart; i--) {
            ReferenceCountUtil.release(out.remove(i));
        }
        out.add(new UpstreamProtocolError(reason));
        responseStart = out.size();
        pending.clear();
        state = State.BAD;
        in.skipBytes(in.readableBytes());
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (in.isReadable()) {
            decode(ctx, in, out);
        } else if (out.isEmpty()) {
            responseStart = 0;
        }
        switch (state) {
            case UNTIL_CLOSE -> out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            case FIXED_BODY, CHUNKED_BODY -> fail(in, out, "CLOSED: upstream closed before the end of the body");
            case HEAD -> fail(in, out, "CLOSED: upstream closed in the middle of a response head");
            case IDLE -> {
                if (!pending.isEmpty()) {
                    fail(in, out, "CLOSED: upstream closed before responding");
                }
            }
            default -> {
                // TUNNEL, BAD, CLOSED: nothing is owed
            }
        }
        if (state != State.BAD) {
            state = State.CLOSED;
        }
    }
}
