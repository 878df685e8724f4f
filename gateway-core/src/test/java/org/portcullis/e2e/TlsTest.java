package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSslContext;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.fixtures.TestCertificates;
import org.portcullis.server.ConfigReloader.Outcome;
import org.portcullis.snapshot.TlsEngine;
import org.slf4j.LoggerFactory;

/**
 * TLS on both sides of the gateway. Towards clients: HTTPS with TLS 1.3/1.2 only and ALPN {@code http/1.1} only.
 * Towards upstreams: the certificate must chain to the route's {@code ca_bundle} (or the JDK trust store) and name
 * the upstream host, or the request ends in 502 and nothing reaches the upstream (SECURITY-RULES 10).
 *
 * <p>The whole suite runs once per {@code server.tls_provider} engine: BoringSSL ({@code openssl}) and the JDK's
 * ({@code jdk}) must show clients the same protocols, suites, ALPN and certificate reload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass(name = "tls_provider: {0}")
@ValueSource(strings = {"openssl", "jdk"})
class TlsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final int RECORD_HANDSHAKE = 0x16;
    private static final int RECORD_ALERT = 0x15;
    private static final int HANDSHAKE_SERVER_HELLO = 0x02;
    private static final int ALERT_PROTOCOL_VERSION = 70;
    private static final int ALERT_FATAL = 2;
    private static final int TLS_1_0 = 0x0301;
    private static final int TLS_1_1 = 0x0302;
    private static final int TLS_1_2 = 0x0303;

    /**
     * One TLS listener. {@code app.test}: plain upstream. {@code secure.test}: https upstream verified with the test
     * CA. {@code untrusted.test}: the same https upstream against the JDK trust store. {@code wrongname.test}: the
     * https upstream reached as {@code 127.0.0.2}, an address its certificate does not name.
     */
    private static final String CONFIG = """
            server:
              tls_provider: @PROVIDER@
              listeners:
                - address: 127.0.0.1:@PORT@
                  tls:
                    certificate: @CHAIN@
                    private_key: @KEY@
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
              - name: secure
                host: secure.test
                upstream: https://127.0.0.1:@TLS_PORT@
                upstream_timeout: 2s
                ca_bundle: @CA@
              - name: untrusted
                host: untrusted.test
                upstream: https://127.0.0.1:@TLS_PORT@
                upstream_timeout: 2s
              - name: wrongname
                host: wrongname.test
                upstream: https://127.0.0.2:@RELAY_PORT@
                upstream_timeout: 2s
                ca_bundle: @CA@
            access_control:
              default_policy: bypass
            """;

    @TempDir
    static Path dirs;

    @Parameter
    String provider;

    Path dir;

    TestCertificates certs;
    Path listenerChain;
    Path listenerKey;
    List<String> startLog;
    EchoUpstream upstream;
    EchoUpstream tlsUpstream;
    TcpRelay relay;
    GatewayHarness gateway;

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void start() throws Exception {
        dir = Files.createDirectories(dirs.resolve(provider));
        certs = TestCertificates.create(dir.resolve("certs"));
        // The listener reads copies, so a test can replace them with another certificate and reload.
        listenerChain = Files.copy(certs.certificateChainPem(), dir.resolve("listener-chain.pem"));
        listenerKey = Files.copy(certs.privateKeyPem(), dir.resolve("listener-key.pem"));
        upstream = EchoUpstream.start();
        tlsUpstream = EchoUpstream.tls(certs);
        relay = TcpRelay.start(InetAddress.getByName("127.0.0.2"), tlsUpstream.port());
        String config = CONFIG
                .replace("@PROVIDER@", provider)
                .replace("@CHAIN@", listenerChain.toString())
                .replace("@KEY@", listenerKey.toString())
                .replace("@CA@", certs.caCertificatePem().toString())
                .replace("@TLS_PORT@", Integer.toString(tlsUpstream.port()))
                .replace("@RELAY_PORT@", Integer.toString(relay.port()));
        Logger engineLog = (Logger) LoggerFactory.getLogger(TlsEngine.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Level before = engineLog.getLevel();
        engineLog.setLevel(Level.INFO);
        engineLog.addAppender(lines);
        try {
            gateway = GatewayHarness.start(dir, config, upstream.port());
        } finally {
            engineLog.detachAppender(lines);
            engineLog.setLevel(before);
        }
        startLog = lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    void stop() throws IOException {
        gateway.close();
        relay.close();
        tlsUpstream.close();
        upstream.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        GatewayUnderTest.drain(upstream, tlsUpstream);
    }

    @Test
    void tlsListenerServesHttpsAndForwardsToThePlainUpstream() throws Exception {
        try (RawHttpClient client = RawHttpClient.connectTls(gateway.port(), certs, "app.test")) {
            assertThat(client.applicationProtocol()).isEqualTo("http/1.1");
            client.send("GET /over-tls HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawResponse response = client.readResponse(WAIT);
            assertThat(response.status()).isEqualTo(200);
        }
        RecordedRequest received = upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /over-tls HTTP/1.1");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
    }

    @Test
    void startLogsTheEngineInUseOnce() {
        String engine = provider.equals("openssl") ? "openssl (BoringSSL)" : "jdk";
        assertThat(startLog).containsExactly("INFO TLS provider: " + engine + " (server.tls_provider: " + provider + ")");
        var snapshot = gateway.server().runtime().snapshot();
        assertThat(snapshot.listenerTls(snapshot.config().server().listeners().get(0).address()))
                .as("the listener's context").isInstanceOf(provider.equals("openssl")
                        ? OpenSslContext.class : JdkSslContext.class);
    }

    /**
     * A renewed certificate is picked up by a reload: new connections get it, a connection opened before the reload
     * keeps working on the old one, and a client that trusts only the old CA is refused.
     */
    @Test
    void certificateReloadServesTheNewCertificateToNewConnections() throws Exception {
        TestCertificates renewed = TestCertificates.create(dir.resolve("renewed"));
        try (RawHttpClient before = RawHttpClient.connectTls(gateway.port(), certs, "app.test")) {
            replaceListenerCertificate(renewed);
            try (SSLSocket fresh = tlsSocket(renewed, null, List.of("http/1.1"))) {
                assertThat(fresh.getSession().getPeerCertificates()[0]).isEqualTo(renewed.certificate());
            }
            assertThat(catchThrowable(() -> tlsSocket(certs, null, List.of("http/1.1")).close()))
                    .as("a client trusting only the old CA").isInstanceOf(IOException.class);
            before.send("GET /opened-before-reload HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(before.readResponse(WAIT).status()).isEqualTo(200);
        } finally {
            replaceListenerCertificate(certs);
        }
        try (SSLSocket restored = tlsSocket(certs, null, List.of("http/1.1"))) {
            assertThat(restored.getSession().getPeerCertificates()[0]).isEqualTo(certs.certificate());
        }
    }

    private void replaceListenerCertificate(TestCertificates next) throws IOException {
        Files.copy(next.certificateChainPem(), listenerChain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(next.privateKeyPem(), listenerKey, StandardCopyOption.REPLACE_EXISTING);
        assertThat(gateway.reloader().reload()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void negotiatesOnlyTls13Or12() throws Exception {
        try (SSLSocket defaults = tlsSocket(null, List.of("http/1.1"))) {
            assertThat(defaults.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        try (SSLSocket tls12 = tlsSocket(List.of("TLSv1.2"), List.of("http/1.1"))) {
            assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
            // Mozilla "intermediate": forward secret AEAD suites only.
            assertThat(tls12.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "CHACHA20");
        }
    }

    static Stream<Arguments> legacyProtocolVersions() {
        return Stream.of(
                // 1: TLS 1.1 (RFC 8996 deprecates it)
                Arguments.of(TLS_1_1),
                // 2: TLS 1.0
                Arguments.of(TLS_1_0));
    }

    /**
     * The JDK's own client refuses to offer TLS 1.0/1.1 ({@code jdk.tls.disabledAlgorithms}), and changing that
     * security property would also change it for the gateway in this JVM. So the ClientHello is written by hand: the
     * server's answer shows what it accepts, whatever the client side of the JDK allows. A TLS 1.2 hello built the
     * same way must get a ServerHello, so the refusal is about the version and not a broken hello.
     */
    @ParameterizedTest
    @MethodSource("legacyProtocolVersions")
    void clientOfferingOnlyALegacyTlsVersionIsRefused(int version) throws Exception {
        assertThat(firstServerRecord(TLS_1_2)).as("control: the same hello as TLS 1.2").startsWith(
                RECORD_HANDSHAKE, TLS_1_2 >> 8, TLS_1_2 & 0xff);

        int[] answer = firstServerRecord(version);

        // RFC 5246 Appendix E.1 / RFC 8446 §4.2.1: a fatal protocol_version alert, no ServerHello.
        assertThat(answer).as("answer to a hello offering only version 0x%04x", version).hasSize(7);
        assertThat(answer[0]).as("record type").isEqualTo(RECORD_ALERT);
        assertThat(answer[5]).as("alert level").isEqualTo(ALERT_FATAL);
        assertThat(answer[6]).as("alert description").isEqualTo(ALERT_PROTOCOL_VERSION);
    }

    @Test
    void alpnNeverSelectsH2() throws Exception {
        try (SSLSocket both = tlsSocket(null, List.of("h2", "http/1.1"))) {
            assertThat(both.getApplicationProtocol()).isEqualTo("http/1.1");
        }
        SSLSocket[] only = new SSLSocket[1];
        Throwable refused = catchThrowable(() -> only[0] = tlsSocket(null, List.of("h2")));
        if (refused == null) {
            try (SSLSocket h2Only = only[0]) {
                assertThat(h2Only.getApplicationProtocol()).isIn("", null);
            }
        } else {
            assertThat(refused).isInstanceOf(IOException.class);
        }
    }

    @Test
    void plainHttpOnTheTlsListenerIsNotServed() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(gateway.port())) {
            client.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(client.isClosedByPeer(WAIT)).isTrue();
        }
        assertThat(upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void httpsUpstreamVerifiedWithTheRouteCaBundleIs200() throws Exception {
        try (RawHttpClient client = RawHttpClient.connectTls(gateway.port(), certs, "secure.test")) {
            client.send("GET /secure HTTP/1.1\r\nHost: secure.test\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
        }
        assertThat(tlsUpstream.takeRequest(WAIT).requestLine()).isEqualTo("GET /secure HTTP/1.1");
    }

    static Stream<Arguments> untrustedUpstreams() {
        return Stream.of(
                // 1: no ca_bundle: the JDK trust store does not know the test CA
                Arguments.of("untrusted.test"),
                // 2: trusted CA, but the certificate names 127.0.0.1/localhost/*.test, not 127.0.0.2
                Arguments.of("wrongname.test"));
    }

    @ParameterizedTest
    @MethodSource("untrustedUpstreams")
    void httpsUpstreamThatCannotBeVerifiedIs502AndGetsNoRequest(String host) throws Exception {
        int relayedBefore = relay.accepted();
        try (RawHttpClient client = RawHttpClient.connectTls(gateway.port(), certs, host)) {
            client.send("GET /secret HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertThat(client.readResponse(WAIT).status()).isEqualTo(502);
        }
        assertThat(tlsUpstream.takeRequest(NOTHING)).isNull();
        if (host.equals("wrongname.test")) {
            assertThat(relay.accepted()).as("the gateway did reach the upstream").isGreaterThan(relayedBefore);
        }
    }

    private SSLSocket tlsSocket(List<String> protocols, List<String> alpn) throws IOException {
        return tlsSocket(certs, protocols, alpn);
    }

    private SSLSocket tlsSocket(TestCertificates trusted, List<String> protocols, List<String> alpn)
            throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()), (int) WAIT.toMillis());
        SSLSocket socket = (SSLSocket) trusted.clientSslContext().getSocketFactory()
                .createSocket(plain, "localhost", gateway.port(), true);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (protocols != null) {
                parameters.setProtocols(protocols.toArray(String[]::new));
            }
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends a hand-written ClientHello offering {@code version} and returns the first 7 bytes of the server's first
     * record (record header, then handshake type or alert level and description), or nothing if the server closed.
     */
    private int[] firstServerRecord(int version) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()),
                    (int) WAIT.toMillis());
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(clientHello(version));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int[] first = new int[7];
            try {
                for (int i = 0; i < first.length; i++) {
                    first[i] = in.readUnsignedByte();
                }
            } catch (EOFException closed) {
                return new int[0];
            } catch (SocketTimeoutException silent) {
                throw new AssertionError("the server neither answered nor closed within " + WAIT, silent);
            } catch (IOException reset) {
                return new int[0];
            }
            if (first[0] == RECORD_HANDSHAKE) {
                assertThat(first[5]).as("handshake message type").isEqualTo(HANDSHAKE_SERVER_HELLO);
            }
            return first;
        }
    }

    /**
     * A minimal ClientHello (RFC 5246 §7.4.1.2): ECDHE-ECDSA/RSA suites in GCM and CBC form, P-256, uncompressed
     * points, and for TLS 1.2 the signature algorithms extension. No supported_versions extension, so the legacy
     * version field is the only version offered.
     */
    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        put16(body, version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // empty session id
        int[] suites = {0xC02B, 0xC02F, 0xC009, 0xC013, 0xC00A, 0xC014, 0x002F};
        put16(body, suites.length * 2);
        for (int suite : suites) {
            put16(body, suite);
        }
        body.write(1); // one compression method: null
        body.write(0);
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extensions.writeBytes(new byte[] {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17}); // supported_groups: P-256
        extensions.writeBytes(new byte[] {0x00, 0x0b, 0x00, 0x02, 0x01, 0x00}); // ec_point_formats: uncompressed
        if (version >= TLS_1_2) {
            // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
            extensions.writeBytes(new byte[] {0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01});
        }
        put16(body, extensions.size());
        body.writeBytes(extensions.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(RECORD_HANDSHAKE);
        put16(record, TLS_1_0); // record layer version, as real clients send it
        put16(record, body.size() + 4);
        record.write(0x01); // client_hello
        record.write(0);
        put16(record, body.size());
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    private static void put16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8 & 0xff);
        out.write(value & 0xff);
    }

    /**
     * Forwards TCP connections from {@code address}:ephemeral to 127.0.0.1:{@code targetPort}, byte for byte, so the
     * gateway reaches the https upstream under an address its certificate does not name.
     */
    private static final class TcpRelay implements AutoCloseable {
        private final ServerSocket listener;
        private final int targetPort;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private volatile int accepted;

        private TcpRelay(ServerSocket listener, int targetPort) {
            this.listener = listener;
            this.targetPort = targetPort;
        }

        static TcpRelay start(InetAddress address, int targetPort) throws IOException {
            TcpRelay relay = new TcpRelay(new ServerSocket(0, 16, address), targetPort);
            daemon("relay-accept", relay::acceptLoop);
            return relay;
        }

        int port() {
            return listener.getLocalPort();
        }

        int accepted() {
            return accepted;
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    accepted++;
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(client);
                    sockets.add(target);
                    daemon("relay-up", () -> pump(client, target));
                    daemon("relay-down", () -> pump(target, client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream()) {
                in.transferTo(to.getOutputStream());
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(to);
                closeQuietly(from);
            }
        }

        private static void daemon(String name, Runnable task) {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            sockets.forEach(TcpRelay::closeQuietly);
        }
    }
}
