package org.portcullis.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import org.portcullis.admission.Admission;
import org.portcullis.http1.InterimResponse;
import org.portcullis.http1.UpstreamProtocolError;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.ingress.RejectReason;
import org.portcullis.pool.UpstreamConnection;
import org.portcullis.pool.UpstreamListener;
import org.portcullis.pool.UpstreamPool;
import org.portcullis.session.SessionId;
import org.portcullis.portal.ErrorPages;

/**
 * One request/response cycle between a client and an upstream. Runs entirely on the client connection's event loop
 * (the upstream connection is taken from that loop's pool).
 *
 * <p>The request head written upstream is built from the {@link CanonicalRequest} only: its canonical target, its
 * sanitised headers, the gateway's forwarding headers, and the framing of the original body. Bodies stream in both
 * directions without aggregation; reading from one side pauses while the other side cannot take more.
 *
 * <p>Failure handling (fail closed): no upstream → 502 (503 when the pool is full, 504 on connect timeout); no
 * answer within {@code upstream_timeout} → 504; broken response framing before the head was relayed → 502. Once a
 * response head has been relayed, any failure closes the client connection so a truncated body can never look
 * complete. An upstream connection is reused only after a complete, well-framed exchange.
 *
 * <p>Connection-bound logins (SECURITY-RULES 21): a connection that carried NTLM or Negotiate credentials, or was
 * answered with such a challenge, never returns to the shared pool. It is held by the client connection for the next
 * request of the same session ({@link org.portcullis.pool.PinnedUpstreams}) and closed when either ends.
 */
final class ProxyExchange implements UpstreamListener, ClientExchange {
    private final ExchangeOwner owner;
    private final Admission.Forward admission;
    private final CanonicalRequest request;
    private final HttpRequest original;
    private final Deadline responseDeadline;
    private final UpstreamPool pool;
    private final boolean clientKeepAlive;
    private final boolean expectContinue;
    private final long bodyLimit;
    /** Body pieces that came before the upstream connection; made on the first (most requests have none). */
    private ArrayDeque<HttpContent> pendingBody;
    private final boolean headRequest;
    /** Whose held upstream connections this exchange may use: its signed-in session, or null for none. */
    private final SessionId pinOwner;
    private final String pinUser;

    private UpstreamConnection upstream;
    private boolean requestComplete;
    private boolean responseStarted;
    /**
     * The filtered response head, held back until the first piece of its body: the decoder reports a body that
     * breaks its framing (longer than Content-Length, say) in place of that piece, and while the head is unsent the
     * client can still get a clean 502 instead of a connection closed without an answer.
     */
    private HttpResponse unsentHead;
    private boolean clientFlushPending;
    private boolean switchingProtocols;
    private ExchangeOutcome outcome = ExchangeOutcome.FORWARDED;
    private boolean responseCloses;
    private boolean finished;
    private boolean retried;
    private boolean upstreamReusable = true;
    private long bodyBytes;
    private int status;

    ProxyExchange(ExchangeOwner owner, Admission.Forward admission, HttpRequest original) {
        this.owner = owner;
        this.responseDeadline = owner.upstreamClock(this);
        boolean bodyFollows = HttpUtil.isTransferEncodingChunked(original) || HttpUtil.getContentLength(original, 0L) > 0;
        this.admission = admission;
        this.request = admission.request();
        this.original = original;
        this.pool = admission.snapshot().pool(admission.route());
        this.clientKeepAlive = HttpUtil.isKeepAlive(original);
        this.expectContinue = bodyFollows && HttpUtil.is100ContinueExpected(original);
        this.bodyLimit = admission.route().effectiveMaxBodyBytes(admission.snapshot().config().limits());
        // The decoder ends every request with a LastHttpContent, even a request without a body.
        this.requestComplete = false;
        this.headRequest = HttpMethod.HEAD.name().equals(request.method());
        this.pinOwner = admission.session().signedIn() ? admission.session().id() : null;
        this.pinUser = admission.session().signedIn() ? admission.session().user().username() : null;
    }

    Admission.Forward admission() {
        return admission;
    }

    public void start() {
        acquire();
    }

    /** True while the request body still flows and the upstream can take it now. */
    public boolean wantsRequestBody() {
        return !requestComplete && upstream != null && upstream.channel().isWritable();
    }

    public boolean requestComplete() {
        return requestComplete;
    }

    /** Takes ownership of one piece of the client's request body. */
    public void onRequestBody(HttpContent content) {
        if (finished || requestComplete) {
            content.release();
            return;
        }
        bodyBytes += content.content().readableBytes();
        if (bodyBytes > bodyLimit) {
            content.release();
            fail(ExchangeOutcome.BODY_TOO_LARGE);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (upstream == null) {
            pending().add(content);
        } else {
            upstream.channel().write(content);
            if (!upstream.channel().isWritable()) {
                // The upstream takes the body slower than the client sends it: push out what is queued and stop
                // reading the client until onUpstreamWritable, so a large body never piles up in memory. While
                // the upstream does not drain, its clock runs: a deaf upstream ends in 504, not a client 408.
                upstream.channel().flush();
                armResponseTimer();
                owner.updateReading();
            }
        }
        if (last) {
            requestComplete = true;
            owner.requestBodyComplete();
            if (upstream != null) {
                upstream.channel().flush();
                armResponseTimer();
            }
        }
    }

    /** Called when the client's read burst ended: push what was written towards the upstream. */
    public void flushUpstream() {
        if (upstream != null) {
            upstream.channel().flush();
        }
    }

    /** The client went away or timed out: stop everything and never reuse the upstream connection. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimer();
        releasePending();
        if (upstream != null) {
            upstream.discard();
        }
    }

    /** The client's body stalled or broke its framing: answer if nothing was relayed yet, else close. */
    @Override
    public void failFromClient(RejectReason reason) {
        fail(ExchangeOutcome.ofClient(reason), reason.status());
    }

    private void acquire() {
        UpstreamConnection held = owner.pinnedUpstreams().take(pool, pinOwner);
        if (held != null) {
            held.markReused();
            onConnection(held);
            return;
        }
        Future<UpstreamConnection> future = pool.acquire(owner.client().channel().eventLoop(),
                admission.snapshot().config().limits().upstreamConnectTimeout());
        if (future.isDone()) {
            onAcquired(future);
        } else {
            future.addListener(f -> onAcquired(future));
        }
    }

    private void onAcquired(Future<UpstreamConnection> future) {
        if (!future.isSuccess()) {
            if (!finished) {
                fail(ExchangeOutcome.ofConnectFailure(future.cause()));
            }
            return;
        }
        UpstreamConnection connection = future.getNow();
        if (finished) {
            connection.release();
            return;
        }
        onConnection(connection);
    }

    private void onConnection(UpstreamConnection connection) {
        upstream = connection;
        HttpRequest head = admission.upstreamHead();
        if (ConnectionBoundAuth.sentBy(head.headers())) {
            // Marked before a byte is written: whatever happens next, this connection may be logged in now.
            connection.markConnectionBound();
        }
        connection.attach(this);
        connection.expectResponseTo(HttpMethod.valueOf(request.method()));
        Channel channel = connection.channel();
        ChannelFuture headWrite = channel.write(head);
        if (headWrite.isDone() && !headWrite.isSuccess()) {
            // The connection's request encoder refused the head (it was left in the middle of another request):
            // nothing of this request went out, and its body must not follow on its own, where the upstream would
            // read it as a request of its own that the gateway never checked.
            fail(ExchangeOutcome.UPSTREAM_ERROR);
            return;
        }
        if (pendingBody != null) {
            while (!pendingBody.isEmpty()) {
                channel.write(pendingBody.poll());
            }
        }
        channel.flush();
        if (requestComplete) {
            armResponseTimer();
        } else if (expectContinue) {
            owner.client().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        owner.updateReading();
    }

    @Override
    public void onUpstreamMessage(Object message) {
        if (finished) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (switchingProtocols) {
            // The decoder ends the 101 with an empty LastHttpContent; the pipelines switch on that end marker, so
            // nothing of the HTTP exchange ever reaches the tunnel. Anything else here breaks the decoder's contract.
            ReferenceCountUtil.release(message);
            if (message instanceof LastHttpContent) {
                finished = true;
                switchToTunnel();
            } else {
                protocolError();
            }
            return;
        }
        if (message instanceof UpstreamProtocolError) {
            if (!responseStarted && upstream != null && !upstream.channel().isActive()) {
                // The decoder reports a close before a complete head this way (from channelInactive, ahead of the
                // close itself): treat it as the close it is, so a stale pooled connection gets its one retry.
                onUpstreamClosed(null);
            } else {
                protocolError();
            }
            return;
        }
        if (message instanceof InterimResponse) {
            // 100 and 103 carry nothing for the client: the gateway answered Expect itself.
            return;
        }
        if (message instanceof HttpResponse response) {
            onResponseHead(response);
        }
        if (finished) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpContent content) {
            onResponseContent(content);
        } else if (!(message instanceof HttpResponse)) {
            ReferenceCountUtil.release(message);
            protocolError();
        }
    }

    private void onResponseHead(HttpResponse response) {
        int code = response.status().code();
        if (code == 101) {
            onSwitchingProtocols(response);
            return;
        }
        if (ConnectionBoundAuth.challengedBy(response.headers())) {
            upstream.markConnectionBound();
        }
        armResponseTimer();
        responseStarted = true;
        status = code;
        boolean bodyless = headRequest || code == 204 || code == 304;
        // Read before the filter edits the head: whether the upstream offered to keep its connection.
        upstreamReusable = ResponseHeaderFilter.upstreamKeepsAlive(response);
        ResponseHeaderFilter.Filtered filtered =
                ResponseHeaderFilter.forClient(response, request.version(), bodyless, clientKeepAlive);
        responseCloses = filtered.closeAfter() || !requestComplete;
        if (responseCloses) {
            filtered.head().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        unsentHead = filtered.head();
    }

    private void onResponseContent(HttpContent content) {
        if (!responseStarted) {
            // Content of an interim response carries nothing; content before any head is a framing error.
            content.release();
            if (!(content instanceof LastHttpContent)) {
                protocolError();
            }
            return;
        }
        Channel client = owner.client().channel();
        if (unsentHead != null) {
            owner.client().write(unsentHead);
            unsentHead = null;
        }
        if (content instanceof LastHttpContent) {
            owner.client().writeAndFlush(content);
            complete();
            return;
        }
        armResponseTimer(); // not for the last piece: complete() stops the clock, and reading it costs a clock read
        // Flushed at the end of each upstream read burst (onUpstreamReadComplete): a slow or streaming upstream's
        // bytes reach the client as they come, with one write per burst rather than per piece.
        owner.client().write(content);
        clientFlushPending = true;
        if (!client.isWritable()) {
            // The client is slower than the upstream: stop reading the upstream, and stop its clock too, since the
            // wait is the client's. Paused before the flush: a flush that drains at once makes the client writable
            // again, and clientWritable() must then find the upstream paused so that it resumes it.
            upstream.channel().config().setAutoRead(false);
            cancelTimer();
            clientFlushPending = false;
            client.flush();
        }
    }

    /** The client connection can take more: resume reading the upstream's response. */
    public void clientWritable() {
        if (upstream != null && !finished && responseStarted && !upstream.channel().config().isAutoRead()) {
            armResponseTimer();
            upstream.channel().config().setAutoRead(true);
        }
    }

    private void onSwitchingProtocols(HttpResponse response) {
        String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (!request.websocketUpgrade() || !WebSocketHandshake.isValidAcceptance(response, key)) {
            protocolError();
            return;
        }
        cancelTimer();
        status = 101;
        // The 101 is on its way to the client: from here a failure can only close, never answer with a page.
        responseStarted = true;
        switchingProtocols = true;
        HttpHeaders out = response.headers().copy();
        ResponseHeaderFilter.removeHopByHop(response.headers(), out);
        ResponseHeaderFilter.removeGatewayCookies(out);
        out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        out.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        owner.client().writeAndFlush(new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS, out));
    }

    private void switchToTunnel() {
        Channel upstreamChannel = upstream.channel();
        upstream.attach(null);
        owner.becomeTunnel(this, upstreamChannel);
    }

    @Override
    public void onUpstreamReadComplete() {
        if (clientFlushPending) {
            clientFlushPending = false;
            owner.client().flush();
        }
    }

    @Override
    public void onUpstreamWritable() {
        if (!requestComplete && !finished) {
            responseDeadline.pause();
        }
        owner.updateReading();
    }

    /** The upstream clock ran out: no answer, or no progress, within {@code upstream_timeout}. */
    void upstreamTimedOut() {
        fail(ExchangeOutcome.UPSTREAM_TIMEOUT);
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (finished) {
            return;
        }
        if (!responseStarted && upstream != null && upstream.wasReused() && !retried
                && bodyBytes == 0 && requestComplete && isIdempotent()) {
            // A pooled connection the upstream closed while it sat idle: nothing reached the upstream's
            // application, so an idempotent request is sent once more on a fresh connection.
            retried = true;
            // Detached first, so the old connection's own close report cannot end the retried exchange.
            upstream.discard();
            upstream = null;
            // The request is sent whole again: its end went out on the dropped connection. Without it the fresh
            // connection's encoder would stay in the middle of this request once the exchange completed, and on
            // reuse it would refuse the next head and send that request's body alone: a request smuggled past
            // every check of the gateway. The end is empty (no body bytes; the request decoder drops trailers).
            pending().add(LastHttpContent.EMPTY_LAST_CONTENT);
            acquire();
            return;
        }
        fail(ExchangeOutcome.UPSTREAM_ERROR);
    }

    private boolean isIdempotent() {
        String m = request.method();
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
    }

    private void protocolError() {
        fail(ExchangeOutcome.UPSTREAM_ERROR);
    }

    private void fail(ExchangeOutcome cause) {
        fail(cause, cause.status());
    }

    /** Ends the exchange with an error: a gateway page if nothing was relayed yet, else a closed connection. */
    private void fail(ExchangeOutcome cause, int errorStatus) {
        if (finished) {
            return;
        }
        outcome = cause;
        finished = true;
        cancelTimer();
        releasePending();
        if (upstream != null) {
            upstream.discard();
        }
        status = errorStatus;
        if (responseStarted && unsentHead == null) {
            owner.client().close();
            owner.finished(this, errorStatus, true, outcome.name());
            return;
        }
        boolean close = !requestComplete || !clientKeepAlive || cause == ExchangeOutcome.BODY_TOO_LARGE;
        ChannelHandlerContext client = owner.client();
        client.writeAndFlush(ErrorPages.response(errorStatus, ErrorPages.wantsJson(original.headers()), close,
                owner.requestId(), admission.snapshot()));
        owner.finished(this, errorStatus, close, outcome.name());
    }

    private void complete() {
        finished = true;
        cancelTimer();
        if (upstreamReusable && requestComplete && upstream.connectionBound()) {
            owner.pinnedUpstreams().keep(upstream, pinOwner, pinUser);
        } else if (upstreamReusable && requestComplete) {
            upstream.release();
        } else {
            upstream.discard();
        }
        owner.finished(this, status, responseCloses, outcome.name());
    }

    /**
     * Moves the upstream deadline to now + {@code upstream_timeout}. Never once finished: the clock may be the
     * connection's, running for the next exchange by then.
     */
    private void armResponseTimer() {
        if (!finished) {
            responseDeadline.start(admission.route().upstreamTimeout().toNanos());
        }
    }

    /**
     * Stops the upstream clock (while the client, not the upstream, is the slow side, or once finished). Paused, not
     * stopped: its scheduled check stays for the connection's next exchange, and finds nothing to do if none comes.
     */
    private void cancelTimer() {
        responseDeadline.pause();
    }

    private ArrayDeque<HttpContent> pending() {
        if (pendingBody == null) {
            pendingBody = new ArrayDeque<>(4);
        }
        return pendingBody;
    }

    private void releasePending() {
        if (pendingBody == null) {
            return;
        }
        HttpContent c;
        while ((c = pendingBody.poll()) != null) {
            c.release();
        }
    }

    /** How the exchange ended (so far): FORWARDED, or why it failed. */
    ExchangeOutcome outcome() {
        return outcome;
    }
}
