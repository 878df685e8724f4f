package org.portcullis.snapshot;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import javax.net.ssl.SSLException;
import org.portcullis.config.TlsConfig;

/**
 * TLS for client-facing listeners: TLS 1.3 and 1.2 only, and for 1.2 only ECDHE suites with AEAD ciphers (forward
 * secrecy, no CBC, no RSA key exchange), following Mozilla's "intermediate" profile. HTTP/1.1 is the only protocol
 * offered, so no client can negotiate h2 past the strict HTTP/1 decoder. The same lists go to either engine
 * ({@link TlsEngine}): Netty maps the suite names to BoringSSL's, and BoringSSL's fixed TLS 1.3 suites are these three.
 */
public final class ServerTls {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private ServerTls() {
    }

    public static SslContext context(TlsConfig tls, SslProvider provider) throws SSLException {
        try {
            return SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHERS)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            "http/1.1"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new SSLException("cannot load TLS certificate " + tls.certificate() + " or key " + tls.privateKey()
                    + ": " + e.getMessage(), e);
        }
    }
}
