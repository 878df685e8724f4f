package org.portcullis.proxy;

import io.netty.handler.codec.http.HttpContent;
import org.portcullis.ingress.RejectReason;

/**
 * The request a client connection is serving right now, as {@link FrontendHandler} sees it: something that takes the
 * request body, says whether it wants more of it, and can be failed or abandoned. A {@link ProxyExchange} forwards to
 * an upstream; a {@link PortalExchange} is answered by the gateway itself; a {@link RefusalExchange} answers a refusal
 * or a challenge and drops the body.
 */
interface ClientExchange {
    void start();

    /** Takes one piece of the request body (ownership passes to the exchange). */
    void onRequestBody(HttpContent content);

    /** True once the whole request (head and body) has arrived. */
    boolean requestComplete();

    /** True while the exchange can take more body now. */
    boolean wantsRequestBody();

    /** The client side failed for {@code reason} (a clock, a malformed body): answer if still possible, and close. */
    void failFromClient(RejectReason reason);

    /** The client connection is gone: release everything, write nothing. */
    void abort();

    default void flushUpstream() {
    }

    default void clientWritable() {
    }
}
