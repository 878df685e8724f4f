package org.portcullis.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import org.portcullis.config.HstsConfig;
import org.portcullis.proxy.GatewayRuntime;

/**
 * Adds {@code Strict-Transport-Security} (RFC 6797) to every response relayed from an upstream when
 * {@code server.hsts.on_proxied} is set, replacing any the upstream sent. Only in the pipelines of TLS listeners
 * (RFC 6797 §7.2: never over plain HTTP); sits between {@code response-encoder} and {@code frontend}, so it sees each
 * response head before it is encoded. The portal's own pages get the header where they are answered
 * ({@code PortalExchange}), because only there is it known that the request was for the portal's host.
 *
 * <p>Relayed heads are the streamed {@link HttpResponse} heads the proxy writes; the gateway's own answers (portal,
 * error pages, challenges, {@code 100 Continue}) are always {@link FullHttpResponse}s and are left alone here, as are
 * interim (1xx) responses. The setting is read from the snapshot current at each response, so a reload applies to
 * the next response.
 */
final class StrictTransportSecurityHandler extends ChannelOutboundHandlerAdapter {
    private final GatewayRuntime runtime;

    StrictTransportSecurityHandler(GatewayRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && !(msg instanceof FullHttpResponse)
                && response.status().code() >= 200) {
            HstsConfig hsts = runtime.snapshot().config().server().hsts();
            if (hsts.onProxied()) {
                response.headers().set(HstsConfig.HEADER, hsts.headerValue());
            }
        }
        ctx.write(msg, promise);
    }
}
