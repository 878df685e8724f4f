package org.portcullis.config;

import java.time.Duration;
import java.util.List;

/**
 * Listeners, the peers trusted to set X-Forwarded-For / Forwarded, and the network transport.
 *
 * @param transport how sockets are driven; {@link Transport#AUTO} (native epoll on Linux, else NIO) by default
 * @param tlsProvider which TLS engine serves the TLS listeners; {@link TlsProvider#AUTO} by default
 * @param accessLog where and how the access log is written; {@link AccessLogConfig#defaults()} (text on stderr)
 * @param admin the admin listener ({@code /metrics}, {@code /health/*}), or null when {@code server.admin} is absent
 * @param shutdownGrace how long SIGTERM waits for requests in flight before it cuts them; 30 s by default
 */
public record ServerConfig(List<ListenerConfig> listeners, List<Cidr> trustedProxies, Transport transport,
                           HstsConfig hsts, TlsProvider tlsProvider, AccessLogConfig accessLog, AdminConfig admin,
                           Duration shutdownGrace) {

    /**
     * {@code server.transport}. {@code io_uring} is opt-in: it batches system calls (less CPU per request, see
     * bench/README.md) but is a larger kernel attack surface, which many hardened kernels switch off; when it is
     * chosen and the kernel does not offer it, the gateway refuses to start rather than quietly using another.
     */
    public enum Transport {
        AUTO("auto"), EPOLL("epoll"), IO_URING("io_uring"), NIO("nio");

        private final String yaml;

        Transport(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    /**
     * {@code server.tls_provider}. {@code auto} uses BoringSSL (netty-tcnative) when its native library loads, else
     * the JDK's engine with a warning; {@code openssl} refuses to start without BoringSSL; {@code jdk} always uses the
     * JDK's engine. Both engines get the same protocols and cipher suites, so the choice changes speed, not what a
     * client can negotiate.
     */
    public enum TlsProvider {
        AUTO("auto"), OPENSSL("openssl"), JDK("jdk");

        private final String yaml;

        TlsProvider(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    public ServerConfig {
        listeners = List.copyOf(listeners);
        trustedProxies = List.copyOf(trustedProxies);
        transport = transport == null ? Transport.AUTO : transport;
        hsts = hsts == null ? HstsConfig.defaults() : hsts;
        tlsProvider = tlsProvider == null ? TlsProvider.AUTO : tlsProvider;
        accessLog = accessLog == null ? AccessLogConfig.defaults() : accessLog;
        shutdownGrace = shutdownGrace == null ? AdminValidator.DEFAULT_SHUTDOWN_GRACE : shutdownGrace;
    }

    /** Without an admin listener, with the default shutdown grace. */
    public ServerConfig(List<ListenerConfig> listeners, List<Cidr> trustedProxies, Transport transport,
                        HstsConfig hsts, TlsProvider tlsProvider, AccessLogConfig accessLog) {
        this(listeners, trustedProxies, transport, hsts, tlsProvider, accessLog, null, null);
    }

    /** This config with {@code admin} and {@code shutdownGrace} (what a restart would apply) from {@code other}. */
    public ServerConfig withOperations(ServerConfig other) {
        return new ServerConfig(listeners, trustedProxies, transport, hsts, tlsProvider, accessLog, other.admin(),
                other.shutdownGrace());
    }

    /** With the default TLS provider and access log. */
    public ServerConfig(List<ListenerConfig> listeners, List<Cidr> trustedProxies, Transport transport,
                        HstsConfig hsts) {
        this(listeners, trustedProxies, transport, hsts, TlsProvider.AUTO, AccessLogConfig.defaults());
    }

    /** With the default access log. */
    public ServerConfig(List<ListenerConfig> listeners, List<Cidr> trustedProxies, Transport transport,
                        HstsConfig hsts, TlsProvider tlsProvider) {
        this(listeners, trustedProxies, transport, hsts, tlsProvider, AccessLogConfig.defaults());
    }

    /** With the default TLS provider. */
    public ServerConfig(List<ListenerConfig> listeners, List<Cidr> trustedProxies, Transport transport,
                        HstsConfig hsts, AccessLogConfig accessLog) {
        this(listeners, trustedProxies, transport, hsts, TlsProvider.AUTO, accessLog);
    }

    public ServerConfig(List<ListenerConfig> listeners, List<Cidr> trustedProxies, Transport transport) {
        this(listeners, trustedProxies, transport, HstsConfig.defaults());
    }

    public ServerConfig(List<ListenerConfig> listeners, List<Cidr> trustedProxies) {
        this(listeners, trustedProxies, Transport.AUTO);
    }
}
