package org.portcullis.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import org.portcullis.config.LimitsConfig;
import org.portcullis.config.ListenerConfig;
import org.portcullis.http1.Http1Limits;
import org.portcullis.http1.StrictHttpRequestDecoder;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.proxy.FrontendHandler;
import org.portcullis.proxy.FrontendTimeoutHandler;
import org.portcullis.proxy.GatewayRuntime;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * Builds every client connection's pipeline, in flow order:
 * <pre>
 *   connection-limit   ConnectionLimitHandler      refuse an address holding too many connections
 *   tls                SslHandler                  only on TLS listeners (TLS 1.2/1.3, see ServerTls)
 *   timeouts           FrontendTimeoutHandler      idle, header-read and body-read clocks on raw bytes
 *   request-decoder    StrictHttpRequestDecoder    strict HTTP/1 framing; ambiguity → RequestRejected
 *   response-encoder   HttpResponseEncoder         writes the responses
 *   frontend           FrontendHandler             canonical request → route → policy → forward or refuse
 * </pre>
 * Limits and TLS keys are taken from the snapshot current when the connection opens.
 */
public final class GatewayPipelineInitializer extends ChannelInitializer<SocketChannel> {
    private final GatewayRuntime runtime;
    private final ListenerConfig listener;

    public GatewayPipelineInitializer(GatewayRuntime runtime, ListenerConfig listener) {
        this.runtime = runtime;
        this.listener = listener;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        GatewaySnapshot snapshot = runtime.snapshot();
        LimitsConfig limits = snapshot.config().limits();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("connection-limit",
                new ConnectionLimitHandler(runtime.connections(), limits.maxConnectionsPerAddress()));
        if (listener.isTls()) {
            SslContext tls = snapshot.listenerTls(listener.address());
            if (tls == null) {
                throw new IllegalStateException("GatewayPipelineInitializer: no TLS context for " + listener.address());
            }
            pipeline.addLast("tls", tls.newHandler(channel.alloc()));
        }
        FrontendTimeoutHandler timeouts = new FrontendTimeoutHandler(
                limits.idleTimeout(), limits.headerReadTimeout(), limits.bodyReadTimeout(),
                limits.bodyMinBytesPerSecond());
        pipeline.addLast("timeouts", timeouts);
        pipeline.addLast("request-decoder", new StrictHttpRequestDecoder(new Http1Limits(
                limits.maxRequestLineBytes(), limits.maxHeaderBytes(), limits.maxHeaders(),
                snapshot.largestBodyLimit())));
        pipeline.addLast("response-encoder", new HttpResponseEncoder());
        if (listener.isTls()) {
            pipeline.addLast("hsts", new StrictTransportSecurityHandler(runtime));
        }
        InetSocketAddress peer = channel.remoteAddress();
        ConnectionInfo info = new ConnectionInfo(peer, listener.isTls(), channel.localAddress().getPort(),
                snapshot.config().server().trustedProxies());
        pipeline.addLast("frontend", new FrontendHandler(runtime.requestPath(), info, timeouts));
    }
}
