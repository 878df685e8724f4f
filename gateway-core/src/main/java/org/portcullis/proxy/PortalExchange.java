package org.portcullis.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import org.portcullis.admission.Admission;
import org.portcullis.ingress.RejectReason;
import org.portcullis.config.HstsConfig;
import org.portcullis.portal.ErrorPages;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.PortalService;

/**
 * One request the gateway answers itself (sign-in, sign-out, callback, account pages, JWKS). The body is a small form:
 * it is collected up to {@value #MAX_FORM_BYTES} bytes (more is refused with 413), then the {@link PortalService}
 * answers off the event loop and the response is written back on it. Every failure ends in an error page, never in a
 * forward.
 */
final class PortalExchange implements ClientExchange {
    /** Sign-in forms are a few hundred bytes; this leaves room for long return URLs and nothing more. */
    static final int MAX_FORM_BYTES = 16 * 1024;

    private final ExchangeOwner owner;
    private final Admission.Portal admission;
    private final HttpRequest original;
    private final PortalService service;
    private final String requestId;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean requestComplete;
    private boolean finished;
    /** Read by the sign-in pools: work for a client that has gone is skipped. */
    private volatile boolean aborted;

    PortalExchange(ExchangeOwner owner, Admission.Portal admission, HttpRequest original, PortalService service,
                   String requestId) {
        this.owner = owner;
        this.admission = admission;
        this.original = original;
        this.service = service;
        this.requestId = requestId;
    }

    /**
     * Nothing to do yet: the decoder ends every request, also one without a body, with a {@link LastHttpContent}, and
     * the answer starts when that arrives, so the end marker always belongs to this exchange.
     */
    @Override
    public void start() {
    }

    @Override
    public void onRequestBody(HttpContent content) {
        try {
            if (finished || requestComplete) {
                return;
            }
            ByteBuf bytes = content.content();
            if (body.size() + bytes.readableBytes() > MAX_FORM_BYTES) {
                fail(413, "FORM_TOO_LARGE");
                return;
            }
            bytes.readBytes(body, bytes.readableBytes());
            if (content instanceof LastHttpContent) {
                requestComplete = true;
                owner.requestBodyComplete();
                answer();
            }
        } catch (java.io.IOException e) {
            fail(500, "INTERNAL_ERROR");
        } finally {
            content.release();
        }
    }

    @Override
    public boolean requestComplete() {
        return requestComplete;
    }

    @Override
    public boolean wantsRequestBody() {
        return !requestComplete && !finished;
    }

    @Override
    public void failFromClient(RejectReason reason) {
        fail(reason.status(), "CLIENT_FAILED");
    }

    @Override
    public void abort() {
        finished = true;
        aborted = true;
    }

    private void answer() {
        PortalRequest request = new PortalRequest(admission.request(), admission.session(), admission.snapshot(),
                body.toByteArray(), requestId, () -> aborted);
        try {
            service.handle(request).whenComplete((response, error) -> owner.client().executor().execute(() -> {
                if (error != null || response == null) {
                    fail(500, portalError(error));
                } else {
                    respond(response);
                }
            }));
        } catch (RuntimeException e) {
            fail(500, portalError(e));
        }
    }

    /** The outcome of a portal endpoint that failed: what failed (class names only, never a message). */
    private static String portalError(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause == null ? "PORTAL_ERROR" : "PORTAL_ERROR:" + cause.getClass().getSimpleName();
    }

    private void respond(PortalResponse response) {
        if (finished) {
            return;
        }
        finished = true;
        boolean close = !HttpUtil.isKeepAlive(original);
        boolean head = HttpMethod.HEAD.name().equals(admission.request().method());
        FullHttpResponse out = toNetty(response, head, close);
        addStrictTransportSecurity(out);
        owner.client().writeAndFlush(out);
        owner.finished(this, response.status(), close, response.outcome());
    }

    /**
     * {@code server.hsts} on the portal's own host when the client connection is TLS (never on a plain listener, even
     * behind a TLS-terminating proxy: RFC 6797 §7.2). Not on {@code /.portcullis/} paths of protected hosts: pinning
     * those is {@code on_proxied}'s decision.
     */
    private void addStrictTransportSecurity(FullHttpResponse out) {
        HstsConfig hsts = admission.snapshot().config().server().hsts();
        boolean portalHost = admission.snapshot().portal().map(p -> p.isPortalHost(admission.request()))
                .orElse(false);
        if (hsts.portal() && portalHost && owner.client().pipeline().get(SslHandler.class) != null) {
            out.headers().set(HstsConfig.HEADER, hsts.headerValue());
        }
    }

    /** The Netty response for {@code response}; a HEAD answer keeps the length and drops the body (RFC 9110 §9.3.2). */
    static FullHttpResponse toNetty(PortalResponse response, boolean head, boolean close) {
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body());
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), content);
        for (PortalResponse.Header header : response.headers()) {
            out.headers().add(header.name(), header.value());
        }
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        if (close) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return out;
    }

    private void fail(int status, String outcome) {
        if (finished) {
            return;
        }
        finished = true;
        // The owner closes the connection once this page is out.
        owner.client().writeAndFlush(ErrorPages.response(status, ErrorPages.wantsJson(original.headers()), true,
                requestId, admission.snapshot()));
        owner.finished(this, status, true, outcome);
    }
}
