package org.portcullis.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import org.portcullis.admission.Admission;
import org.portcullis.ingress.RejectReason;
import org.portcullis.portal.ChallengeResponses;
import org.portcullis.portal.ErrorPages;
import org.portcullis.portal.PortalResponse;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * A request the gateway answers without forwarding: a refusal (its error page) or a challenge (the way to the portal,
 * or 401). The answer goes out at once; whatever body follows the head belongs to this request and is dropped, up to
 * its end, so the next request on the connection is found after it. A refusal that must close (the body will not be
 * read, or the connection cannot be trusted to be in step) closes once the answer is out.
 */
final class RefusalExchange implements ClientExchange {
    private final ExchangeOwner owner;
    private final Object answer;
    private final int status;
    private final String outcome;
    private final boolean close;
    private boolean requestComplete;
    private boolean finished;

    private RefusalExchange(ExchangeOwner owner, Object answer, int status, String outcome, boolean close) {
        this.owner = owner;
        this.answer = answer;
        this.status = status;
        this.outcome = outcome;
        this.close = close;
    }

    /** Refuses with the gateway's error page; {@code request} is null when the refusal came before any head. */
    static RefusalExchange refusal(ExchangeOwner owner, Admission.Refuse refusal, HttpRequest request,
                                   GatewaySnapshot snapshot) {
        boolean close = refusal.close() || request == null || !HttpUtil.isKeepAlive(request);
        boolean json = request != null && ErrorPages.wantsJson(request.headers());
        return new RefusalExchange(owner, ErrorPages.response(refusal.status(), json, close, owner.requestId(),
                snapshot), refusal.status(), refusal.code(), close);
    }

    /** Sends a browser to the portal, or answers 401 to an API client (never a redirect: it could not follow one). */
    static RefusalExchange challenge(ExchangeOwner owner, Admission.Challenge challenge, HttpRequest request) {
        boolean close = challenge.close() || !HttpUtil.isKeepAlive(request);
        PortalResponse response = ChallengeResponses.forChallenge(challenge, request.headers(), owner.requestId());
        boolean head = HttpMethod.HEAD.name().equals(challenge.request().method());
        return new RefusalExchange(owner, PortalExchange.toNetty(response, head, close), response.status(),
                response.outcome(), close);
    }

    @Override
    public void start() {
        ChannelHandlerContext client = owner.client();
        client.writeAndFlush(answer);
        if (close) {
            finish();
        }
    }

    @Override
    public void onRequestBody(HttpContent content) {
        content.release();
        if (content instanceof LastHttpContent) {
            requestComplete = true;
            finish();
        }
    }

    @Override
    public boolean requestComplete() {
        return requestComplete;
    }

    @Override
    public boolean wantsRequestBody() {
        return !requestComplete;
    }

    /** The answer is already out: the body that failed is just dropped with the connection. */
    @Override
    public void failFromClient(RejectReason reason) {
        if (!finished) {
            finished = true;
            owner.finished(this, status, true, outcome);
        }
    }

    @Override
    public void abort() {
        finished = true;
    }

    private void finish() {
        if (!finished) {
            finished = true;
            owner.finished(this, status, close, outcome);
        }
    }
}
