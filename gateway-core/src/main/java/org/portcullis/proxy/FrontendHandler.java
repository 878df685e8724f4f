package org.portcullis.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.admission.Admission;
import org.portcullis.admission.RequestAdmission;
import org.portcullis.audit.AccessDecision;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.RequestId;
import org.portcullis.audit.SignInEvent;
import org.portcullis.config.AuditConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.ingress.RequestRejected;
import org.portcullis.pool.PinnedUpstreams;
import org.portcullis.portal.ChallengeResponses;
import org.portcullis.portal.ErrorPages;
import org.portcullis.portal.PortalResponse;
import org.portcullis.proxy.FrontendTimeoutHandler.FrontendTimeout;
import org.portcullis.session.CookieLookup;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.signin.SessionLookups;
import org.portcullis.signin.SignInServices;

/**
 * Last handler of a client connection (after the strict decoder and the response encoder). It takes requests one at
 * a time: each decoded request is admitted on its own (SECURITY-RULES 4 — every pipelined or keep-alive request goes
 * through canonicalisation, routing and policy), then forwarded by a {@link ProxyExchange} or refused with the
 * gateway's page. Requests pipelined behind the current one wait in a small queue; reading from the socket stops
 * while they wait, so the queue holds at most one read's worth of messages.
 *
 * <p>Each request gets a random id that joins its access-log line and its audit event. Every refusal is audited;
 * forwarded requests only with {@code audit.log_allowed: true} (SECURITY-RULES 20).
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter implements ExchangeOwner {
    /** The route name the access log gives requests the gateway answers itself. */
    static final String PORTAL_ROUTE = "portal";
    private final GatewayRuntime runtime;
    private final ConnectionInfo connection;
    private final FrontendTimeoutHandler timeouts;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private final PinnedUpstreams pinned = new PinnedUpstreams();

    private ChannelHandlerContext ctx;
    private ClientExchange exchange;
    /** True while the current request's session is being looked up in the store. */
    private boolean resolving;
    private boolean discardingBody;
    private boolean closing;
    private boolean tunnel;
    private long startedNanos;
    private boolean bodyClockPaused;
    private String clientText;
    private String requestId;

    public FrontendHandler(GatewayRuntime runtime, ConnectionInfo connection, FrontendTimeoutHandler timeouts) {
        this.runtime = runtime;
        this.connection = connection;
        this.timeouts = timeouts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.clientText = connection.peer().getAddress().getHostAddress();
    }

    @Override
    public ChannelHandlerContext client() {
        return ctx;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public PinnedUpstreams pinnedUpstreams() {
        return pinned;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing || tunnel) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (queued.isEmpty() && (takeBody(msg) || failCurrentBody(msg))) {
            return;
        }
        if (exchange != null || resolving || !queued.isEmpty()) {
            queued.add(msg);
            updateReading();
            return;
        }
        dispatch(msg);
    }

    /** Hands body content to whoever is consuming the current request; false if {@code msg} is not such content. */
    private boolean takeBody(Object msg) {
        if (!(msg instanceof HttpContent content) || msg instanceof HttpRequest) {
            return false;
        }
        if (exchange != null && !exchange.requestComplete()) {
            exchange.onRequestBody(content);
            return true;
        }
        if (discardingBody) {
            discardingBody = !(content instanceof LastHttpContent);
            content.release();
            return true;
        }
        return false;
    }

    /**
     * A refusal from the decoder in the middle of the body being forwarded (malformed chunk, body over the limit):
     * that request can never complete, so it ends now with the refusal's status and the connection closes. Queued
     * behind the exchange instead, it would wait for a body that never comes until the body timeout answered 408.
     */
    private boolean failCurrentBody(Object msg) {
        if (!(msg instanceof RequestRejected rejected) || exchange == null || exchange.requestComplete()) {
            return false;
        }
        exchange.failFromClient(rejected.reason().status());
        return true;
    }

    private void dispatch(Object msg) {
        startRequestClock();
        if (msg instanceof RequestRejected rejected) {
            refuse(new Admission.Refuse(rejected.reason().status(), rejected.reason().name(), null, null, null, true),
                    null);
            return;
        }
        if (msg instanceof HttpRequest request) {
            startRequest(request);
            return;
        }
        // Body content with no request to belong to cannot happen with a correct decoder: fail closed.
        ReferenceCountUtil.release(msg);
        refuse(new Admission.Refuse(400, "STRAY_CONTENT", null, null, null, true), null);
    }

    private void startRequest(HttpRequest request) {
        boolean bodyFollows = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        timeouts.headReceived(bodyFollows);
        Admission admitted = runtime.admission().admit(request, connection, runtime.snapshot());
        if (!(admitted instanceof Admission.Prepared prepared)) {
            proceed(request, admitted);
            return;
        }
        Optional<SignInServices> signIn = runtime.signIn();
        if (signIn.isEmpty() || prepared.cookie().outcome() != CookieLookup.Outcome.FOUND) {
            proceed(request, runtime.admission().decide(prepared, SessionLookups.withoutStore(prepared.cookie())));
            return;
        }
        // The session is in the store: look it up off the event loop. Until it is known nothing more is read from
        // this client and the gateway, not the client, holds up the body, so the body clock pauses.
        resolving = true;
        timeouts.busy();
        updateReading();
        CompletableFuture<ResolvedSession> lookup = signIn.get().resolver().resolve(prepared.cookie(),
                signIn.get().sessions(prepared.snapshot().config()));
        lookup.whenComplete((session, error) -> ctx.executor().execute(() -> resolved(request, prepared, session,
                error)));
    }

    private void resolved(HttpRequest request, Admission.Prepared prepared, ResolvedSession session,
                          Throwable error) {
        resolving = false;
        if (closing) {
            return;
        }
        if (prepared.bodyFollows()) {
            timeouts.headReceived(true);
        }
        if (error != null || session == null) {
            // The store did not answer: fail closed, never as anonymous and never as signed in (SECURITY-RULES 10).
            Admission decided = runtime.admission().decideWithoutSession(prepared);
            if (!(decided instanceof Admission.Forward)) {
                runtime.refusals().refused(requestId, RequestAdmission.SESSION_STORE_UNAVAILABLE, error);
            }
            proceed(request, decided);
        } else {
            if (session.expired()) {
                runtime.audit().record(new SignInEvent(SignInEvent.ACTION_SESSION_EXPIRE, AuditOutcome.SUCCESS,
                        session.status() == ResolvedSession.Status.EXPIRED_IDLE ? "idle_timeout" : "absolute_timeout",
                        null, prepared.request().clientAddress().getHostAddress(), prepared.request().host(),
                        prepared.cookie().id().map(id -> id.hash().displayId()).orElse(null), requestId));
            }
            proceed(request, runtime.admission().decide(prepared, session));
        }
        drainQueue();
    }

    private void proceed(HttpRequest request, Admission decided) {
        if (decided instanceof Admission.Forward forward) {
            try {
                runtime.upstreamIdentity().apply(forward.request(), forward.route(), forward.session(),
                        forward.bypass());
            } catch (RuntimeException e) {
                runtime.refusals().refused(requestId, "IDENTITY_FAILED", e);
                discardingBody = true;
                refuse(new Admission.Refuse(500, "IDENTITY_FAILED:" + e.getClass().getSimpleName(),
                        forward.request(), forward.route().name(), forward.rule(), true), request);
                return;
            }
            boolean bodyFollows = HttpUtil.isTransferEncodingChunked(request)
                    || HttpUtil.getContentLength(request, 0L) > 0;
            ProxyExchange proxy = new ProxyExchange(this, forward, request, bodyFollows);
            exchange = proxy;
            proxy.start();
            if (exchange == proxy && !proxy.requestComplete()) {
                // Hold the body back until the upstream connection is there to take it. Asked after start(): a
                // pooled connection is usually there at once, and reading then never pauses, which spares two
                // system calls per request (epoll interest off and on again).
                updateReading();
            }
            return;
        }
        if (decided instanceof Admission.Portal portal) {
            PortalExchange answer = new PortalExchange(this, portal, request, runtime.portal(), requestId);
            exchange = answer;
            answer.start();
            return;
        }
        // Whatever follows the head up to its LastHttpContent belongs to the refused or challenged request.
        discardingBody = true;
        if (decided instanceof Admission.Challenge challenge) {
            challenge(challenge, request);
            return;
        }
        if (decided instanceof Admission.Refuse refusal) {
            refuse(refusal, request);
            return;
        }
        refuse(new Admission.Refuse(500, "INTERNAL_ERROR:UNEXPECTED_ADMISSION", null, null, null, true), request);
    }

    /** Sends a browser to the portal, or answers 401 to an API client (never a redirect: it could not follow one). */
    private void challenge(Admission.Challenge challenge, HttpRequest request) {
        boolean close = challenge.close() || !HttpUtil.isKeepAlive(request);
        PortalResponse response = ChallengeResponses.forChallenge(challenge, request.headers(), requestId);
        AccessLog.record(requestId, clientText, challenge.request(), response.status(), challenge.route().name(),
                challenge.rule(), response.outcome(), elapsedMicros());
        audit(AuditOutcome.FAILURE, challenge.request(), response.status(), challenge.route().name(),
                challenge.rule(), response.outcome(), challenge.session());
        writeAndContinue(PortalExchange.toNetty(response, HttpMethod.HEAD.name().equals(challenge.request().method()),
                close), close);
    }

    private void refuse(Admission.Refuse refusal, HttpRequest request) {
        boolean close = refusal.close() || (request != null && !HttpUtil.isKeepAlive(request));
        boolean json = request != null && ErrorPages.wantsJson(request.headers());
        AccessLog.record(requestId, clientText, refusal.request(), refusal.status(), refusal.route(),
                refusal.rule(), refusal.code(), elapsedMicros());
        audit(AuditOutcome.FAILURE, refusal.request(), refusal.status(), refusal.route(), refusal.rule(),
                refusal.code(), null);
        writeAndContinue(ErrorPages.response(refusal.status(), json, close, requestId, runtime.snapshot()), close);
    }

    /** Writes the gateway's own answer, then closes or goes on with the next request. */
    private void writeAndContinue(Object response, boolean close) {
        if (close) {
            closing = true;
            releaseQueued();
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(response);
        timeouts.awaitingRequest();
        drainQueue();
    }

    @Override
    public void portalFinished(PortalExchange finished, int status, boolean close, String outcome) {
        if (finished != exchange) {
            return;
        }
        Admission.Portal portal = finished.admission();
        AccessLog.record(requestId, clientText, portal.request(), status, PORTAL_ROUTE, null, outcome,
                elapsedMicros());
        if (status >= 500) {
            runtime.refusals().refused(requestId, outcome, null);
        }
        if (status >= 400) {
            audit(AuditOutcome.FAILURE, portal.request(), status, PORTAL_ROUTE, null, outcome, portal.session());
        }
        afterExchange(close);
    }

    @Override
    public void exchangeFinished(ProxyExchange finished, int status, boolean close) {
        if (finished != exchange) {
            return;
        }
        Admission.Forward forward = finished.admission();
        AccessLog.record(requestId, clientText, forward.request(), status, forward.route().name(),
                forward.rule(), finished.outcome(), elapsedMicros());
        AuditConfig auditConfig = forward.snapshot().config().audit();
        boolean failed = !ProxyExchange.FORWARDED.equals(finished.outcome());
        if (failed || (auditConfig != null && auditConfig.logAllowed())) {
            // An exchange the gateway had to end (body too large or stalled, upstream broken or silent) is a
            // failure and always audited; a completed forward only when allowed requests are logged.
            audit(failed ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS, forward.request(), status,
                    forward.route().name(), forward.rule(), finished.outcome(),
                    forward.bypass() ? null : forward.session());
        }
        afterExchange(close);
    }

    private void afterExchange(boolean close) {
        exchange = null;
        if (close) {
            closing = true;
            releaseQueued();
            ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        timeouts.awaitingRequest();
        drainQueue();
    }

    private void drainQueue() {
        while (!queued.isEmpty() && !closing) {
            Object next = queued.peek();
            if (resolving) {
                break;
            }
            if (exchange == null && !discardingBody) {
                queued.poll();
                dispatch(next);
                continue;
            }
            if (takeBody(next)) {
                queued.poll();
                continue;
            }
            if (next instanceof RequestRejected && exchange != null && !exchange.requestComplete()) {
                queued.poll();
                failCurrentBody(next);
                continue;
            }
            break;
        }
        updateReading();
    }

    @Override
    public void updateReading() {
        if (closing || tunnel) {
            return;
        }
        boolean read = !resolving && queued.isEmpty() && (exchange == null || exchange.requestComplete() || exchange.wantsRequestBody());
        Channel channel = ctx.channel();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
        // While the gateway itself holds the body back (upstream not connected or not keeping up), the client is
        // not slow: its body clock pauses, and restarts when reading does.
        boolean bodyFlowing = exchange != null && !exchange.requestComplete();
        if (bodyFlowing && !read && !bodyClockPaused) {
            bodyClockPaused = true;
            timeouts.busy();
        } else if (bodyFlowing && read && bodyClockPaused) {
            bodyClockPaused = false;
            timeouts.headReceived(true);
        } else if (!bodyFlowing) {
            bodyClockPaused = false;
        }
    }

    @Override
    public void requestBodyComplete() {
        timeouts.busy();
        updateReading();
    }

    @Override
    public LiveStreams.Stream becomeTunnel(Channel upstream) {
        Admission.Forward forward = exchange instanceof ProxyExchange proxy ? proxy.admission() : null;
        tunnel = true;
        timeouts.tunnel();
        exchange = null;
        pinned.closeAll();
        if (!queued.isEmpty()) {
            // The client spoke before the 101 arrived: it does not follow RFC 6455, so nothing is relayed.
            releaseQueued();
            upstream.close();
            ctx.close();
            return null;
        }
        // A tunnel opened by a signed-in session is registered against it and cut when it ends (SECURITY-RULES 23).
        LiveStreams.Stream watched = null;
        if (forward != null && !forward.bypass() && forward.session().signedIn()) {
            watched = runtime.tunnels().map(w -> w.watch(forward.session().id(), forward.session().user().username(),
                    forward.request().host() + forward.request().path(), forward.route().name(), ctx.channel(),
                    upstream)).orElse(null);
        }
        // The tunnel handler goes in before the decoder leaves, so bytes the decoder still holds reach the tunnel.
        ctx.pipeline().remove("response-encoder");
        ctx.pipeline().addLast("tunnel", new TunnelHandler(upstream, watched));
        ctx.pipeline().remove(this);
        ctx.pipeline().remove("timeouts");
        ctx.pipeline().remove("request-decoder");
        ctx.channel().config().setAutoRead(true);
        return watched;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.flushUpstream();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && exchange != null) {
            exchange.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof FrontendTimeout timeout) {
            int status = timeout.reason().status();
            if (exchange == null) {
                startRequestClock();
            }
            if (exchange != null) {
                exchange.failFromClient(status);
            } else {
                refuse(new Admission.Refuse(status, timeout.reason().name(), null, null, null, true), null);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (exchange != null) {
            exchange.abort();
            exchange = null;
        }
        // A login held for this client connection ends with it (SECURITY-RULES 21).
        pinned.closeAll();
        releaseQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Fail closed: whatever went wrong, this connection serves nothing more.
        closing = true;
        if (exchange != null) {
            exchange.abort();
            exchange = null;
        }
        pinned.closeAll();
        releaseQueued();
        ctx.close();
    }

    private void releaseQueued() {
        Object msg;
        while ((msg = queued.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A request starts: its clock and its id. The id is for joining log lines, not a secret. */
    private void startRequestClock() {
        startedNanos = System.nanoTime();
        requestId = RequestId.next();
    }

    /** Canonical values only: the query, headers and cookies never reach the audit trail. */
    /** {@code session} names the user and the session hash when the request had a session worth naming. */
    private void audit(AuditOutcome outcome, CanonicalRequest request, int status, String route, String rule,
                       String reason, ResolvedSession session) {
        String source = request == null ? clientText : request.clientAddress().getHostAddress();
        String user = session == null || session.user() == null ? null : session.user().username();
        String sessionHash = session == null ? null : session.sessionHash();
        List<String> factors = session == null || session.session() == null ? List.of()
                : session.session().factors().keySet().stream().sorted()
                        .map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).toList();
        runtime.audit().record(new AccessDecision(outcome, reason, user, source,
                request == null ? null : request.host(), request == null ? null : request.method(),
                request == null ? null : request.path(), route, rule, sessionHash, requestId, status, factors));
    }

    private long elapsedMicros() {
        return (System.nanoTime() - startedNanos) / 1000;
    }
}
