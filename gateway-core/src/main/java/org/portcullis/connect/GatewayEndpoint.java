package org.portcullis.connect;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The gateway the command talks to: its portal URL ({@code https://HOST[:PORT]}), the address the TCP connection goes
 * to (the host itself, or {@code --connect-to}), and the TLS trust. TLS always verifies the certificate against the
 * URL's host name, whatever address is dialled.
 *
 * @param url       the portal's URL, {@code https}, no path beyond {@code /}
 * @param dialHost  where the TCP connection goes (normally the URL's host)
 * @param tls       the TLS context with the trusted roots
 */
public record GatewayEndpoint(URI url, String dialHost, SSLContext tls) {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public GatewayEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(dialHost, "dialHost");
        Objects.requireNonNull(tls, "tls");
    }

    public String host() {
        return url.getHost();
    }

    public int port() {
        return url.getPort() == -1 ? 443 : url.getPort();
    }

    /** The {@code Host} header value. */
    String authority() {
        return port() == 443 ? host() : host() + ":" + port();
    }

    /** {@code path} (starting with {@code /}) on the portal, as a URL a browser opens. */
    String urlOf(String path) {
        return "https://" + authority() + path;
    }

    /** A TLS connection to the gateway, handshake done and the certificate verified for the URL's host. */
    SSLSocket open() throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(dialHost, port()), (int) CONNECT_TIMEOUT.toMillis());
            plain.setTcpNoDelay(true);
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host(), port(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!host().matches("[0-9.]+|\\[.*\\]")) {
                parameters.setServerNames(List.of(new SNIHostName(host())));
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** The JVM's default trust (the system's roots). */
    public static SSLContext defaultTrust() throws GeneralSecurityException {
        return SSLContext.getDefault();
    }

    /** Trusts exactly the certificates in the PEM file {@code caFile} (a private CA). */
    public static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        roots.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                roots.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + caFile);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
