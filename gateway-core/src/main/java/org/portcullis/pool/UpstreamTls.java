package org.portcullis.pool;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS towards an https upstream: the certificate is verified against the JDK trust store or the route's
 * {@code ca_bundle}, and the host name is checked (endpoint identification "HTTPS"), so a man in the middle between
 * gateway and upstream cannot read clinical data.
 */
final class UpstreamTls {
    private final SslContext context;

    UpstreamTls(Path caBundle) throws SSLException {
        // The JDK's engine, whatever server.tls_provider says: its hostname check (endpoint identification below)
        // is the one the upstream TLS tests prove, and BoringSSL on the classpath would otherwise be picked here too.
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2");
        if (caBundle != null) {
            builder.trustManager(caBundle.toFile());
        }
        this.context = builder.build();
    }

    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }
}
