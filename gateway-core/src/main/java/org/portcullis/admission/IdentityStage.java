package org.portcullis.admission;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.session.SessionCookie;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * Stage 7, the last: the head that will be forwarded, made once from the canonical request the policy allowed. It
 * carries the canonical target and headers without the gateway's cookies (SECURITY-RULES 11), the identity headers
 * (and JWT) of a signed-in caller on a route that wants them, or none for a bypass, and the framing of the body. Nothing
 * edits it afterwards, and the canonical request itself is never edited. If the identity cannot be made the request
 * is refused (500), never forwarded without it.
 */
public final class IdentityStage implements Stage {
    private final UpstreamIdentity identity;

    public IdentityStage(UpstreamIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    @Override
    public Step apply(AdmissionContext context) {
        CanonicalRequest canonical = context.canonical();
        HttpHeaders headers = new DefaultHttpHeaders().set(canonical.headers());
        stripGatewayCookies(headers);
        try {
            identity.apply(headers, canonical.host(), context.route(), context.session(), context.bypass());
        } catch (RuntimeException e) {
            return new Step.Done(new Admission.Refuse(500, "IDENTITY_FAILED:" + e.getClass().getSimpleName(),
                    canonical, context.routeName(), context.rule(), true, e));
        }
        setFraming(headers, context.head(), canonical);
        HttpRequest upstreamHead = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(canonical.method()),
                canonical.forwardTarget(), headers);
        return new Step.Done(new Admission.Forward(canonical, context.route(), context.rule(), context.snapshot(),
                context.session(), context.bypass(), upstreamHead));
    }

    /** The body is forwarded with the framing it arrived with; a WebSocket upgrade asks for exactly that. */
    private static void setFraming(HttpHeaders headers, HttpRequest original, CanonicalRequest canonical) {
        if (HttpUtil.isTransferEncodingChunked(original)) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else {
            long length = HttpUtil.getContentLength(original, -1L);
            if (length >= 0) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
            }
        }
        if (canonical.websocketUpgrade()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
    }

    /** No upstream ever sees the gateway's cookies; other cookies pass byte for byte. */
    static void stripGatewayCookies(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.COOKIE)) {
            return;
        }
        List<String> original = headers.getAll(HttpHeaderNames.COOKIE);
        List<String> kept = new ArrayList<>(original.size());
        for (String header : original) {
            SessionCookie.stripFromCookieHeader(header).ifPresent(kept::add);
        }
        if (kept.equals(original)) {
            return;
        }
        headers.remove(HttpHeaderNames.COOKIE);
        if (!kept.isEmpty()) {
            headers.add(HttpHeaderNames.COOKIE, kept);
        }
    }
}
