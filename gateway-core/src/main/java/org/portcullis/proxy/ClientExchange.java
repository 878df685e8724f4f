package org.portcullis.proxy;

import io.netty.handler.codec.http.HttpContent;

/**
 * The request a client connection is serving right now, as {@link FrontendHandler} sees it: something that takes the
 * request body, says whether it wants more of it, and can be failed or abandoned. A {@link ProxyExchange} forwards to
 * an upstream; a {@link PortalExchange} is answered by the gateway itself.
 */
interface ClientExchange {
    void start();

    /** Takes one piece of the request body (ownership passes to the exchange). */
    void onRequestBody(HttpContent content);

    /** True once the whole request (head and body) has arrived. */
    boolean requestComplete();

    /** True while the exchange can take more body now. */
    boolean wantsRequestBody();

    /** The client side failed (timeout, malformed body): answer {@code status} if still possible, and close. */
    void failFromClient(int status);

    /** The client connection is gone: release everything, write nothing. */
    void abort();

    default void flushUpstream() {
    }

    default void clientWritable() {
    }
}
