package org.portcullis.proxy;

/**
 * The user event a shutting-down gateway fires on every open client connection: a WebSocket tunnel answers it with a
 * close frame {@code 1001 Going Away} (RFC 6455 §7.4.1) at the next frame boundary towards the client and then closes
 * both of its connections; every other handler passes it on.
 */
public final class GoingAway {
    public static final GoingAway INSTANCE = new GoingAway();

    private GoingAway() {
    }
}
