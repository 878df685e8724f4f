package org.portcullis.admission;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.ingress.RejectReason;
import org.portcullis.ingress.RequestCanonicalizer;
import org.portcullis.session.SessionCookie;

/**
 * Stage 1: the one form of the request every later stage decides on (SECURITY-RULES 1), with the gateway's cookie
 * read from it. A request that cannot be made canonical, or expects anything but {@code 100-continue}, is refused.
 */
final class CanonicaliseStage implements Stage {

    @Override
    public Step apply(AdmissionContext context) {
        // Trusted proxies are the snapshot's, so a reload that changes them applies to open connections' next request.
        ConnectionInfo connection = context.connection();
        ConnectionInfo current = new ConnectionInfo(connection.peer(), connection.tls(), connection.listenerPort(),
                context.snapshot().config().server().trustedProxies());
        RequestCanonicalizer.Result result = context.snapshot().canonicalizer().canonicalize(context.head(), current);
        if (result instanceof RequestCanonicalizer.Result.Rejected rejected) {
            return Refusals.of(rejected.rejection().reason(), context);
        }
        CanonicalRequest canonical = ((RequestCanonicalizer.Result.Accepted) result).request();
        AdmissionContext next = context.canonicalised(canonical,
                SessionCookie.find(canonical.headers().getAll(HttpHeaderNames.COOKIE)));
        String expect = context.head().headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
            return Refusals.of(RejectReason.EXPECTATION_FAILED, next);
        }
        return new Step.Next(next);
    }
}
