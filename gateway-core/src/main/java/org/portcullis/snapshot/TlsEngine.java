package org.portcullis.snapshot;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.portcullis.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind the TLS listeners, from {@code server.tls_provider} and what this machine can load. BoringSSL
 * (netty-tcnative) does the same TLS 1.2/1.3 with the same suites as the JDK's engine (see {@link ServerTls}) at a
 * fraction of the CPU per record (bench/README.md). {@code auto} takes it when its native library loads and otherwise
 * says why and serves with the JDK's engine; {@code openssl} never serves without it.
 *
 * <p>{@link SslProvider#OPENSSL}, not {@code OPENSSL_REFCNT}: a reload replaces the snapshot without releasing the
 * old contexts (connections opened under it may still use them), so the native state must be freed by the garbage
 * collector once nothing refers to it.
 *
 * @param provider what {@link ServerTls} builds the listeners' contexts with
 * @param fallbackCause why {@code auto} could not use BoringSSL; {@code null} when it did or was not asked to
 */
public record TlsEngine(SslProvider provider, Throwable fallbackCause) {
    private static final Logger LOG = LoggerFactory.getLogger(TlsEngine.class);

    /**
     * The engine {@code server.tls_provider} asks for.
     *
     * @throws IllegalStateException {@code openssl} was asked for and BoringSSL cannot load here
     */
    public static TlsEngine of(ServerConfig.TlsProvider choice) {
        switch (choice) {
            case JDK:
                // OpenSsl is not touched, so nothing native is loaded for a JDK-only gateway.
                return new TlsEngine(SslProvider.JDK, null);
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("server.tls_provider is openssl, but BoringSSL (netty-tcnative) "
                            + "cannot load here: " + OpenSsl.unavailabilityCause()
                            + " (use tls_provider: auto or jdk to serve TLS with the JDK's engine)");
                }
                return new TlsEngine(SslProvider.OPENSSL, null);
            default:
                return OpenSsl.isAvailable() ? new TlsEngine(SslProvider.OPENSSL, null)
                        : new TlsEngine(SslProvider.JDK, OpenSsl.unavailabilityCause());
        }
    }

    /** {@link #of}, with one INFO line naming the engine in use (and a WARN first when {@code auto} fell back). */
    public static TlsEngine chooseAtStart(ServerConfig.TlsProvider choice) {
        TlsEngine engine = of(choice);
        if (engine.fallbackCause() != null) {
            LOG.warn("server.tls_provider is auto, but BoringSSL (netty-tcnative) cannot load here, so TLS runs on "
                    + "the JDK's engine, which costs more CPU per request: {}", engine.fallbackCause().toString());
        }
        LOG.info("TLS provider: {} (server.tls_provider: {})", engine.describe(), choice.yaml());
        return engine;
    }

    /** {@code openssl (BoringSSL)} or {@code jdk}: the name an operator sets in {@code server.tls_provider}. */
    public String describe() {
        return provider == SslProvider.JDK ? "jdk" : "openssl (" + OpenSsl.versionString() + ")";
    }
}
