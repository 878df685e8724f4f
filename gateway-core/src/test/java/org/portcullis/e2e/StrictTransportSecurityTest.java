package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.TestCertificates;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.server.ConfigReloader.Outcome;

/**
 * {@code Strict-Transport-Security} (RFC 6797) through a running gateway with a TLS listener and a plain loopback
 * listener: on the portal's own pages over TLS by default, on proxied responses only with {@code on_proxied}, never
 * on the plain listener (not even when a trusted proxy says the client used https), and following reloads. The same
 * two listeners also show that a port serves only its own scheme (SECURITY-RULES 9): the TLS listener's port named in
 * a plain request is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class StrictTransportSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String STS = "Strict-Transport-Security";

    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
                  tls:
                    certificate: @CHAIN@
                    private_key: @KEY@
                - address: 127.0.0.1:@PLAIN_PORT@
              trusted_proxies: [127.0.0.1/32]
            @HSTS@
            portal:
              url: https://login.test:@PORT@
            storage:
              data_dir: @DATA@
              encryption_key: '@STORAGE_KEY@'
            users:
              file: @USERS@
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
            access_control:
              default_policy: bypass
            """;

    @TempDir
    static Path dir;
    private TestCertificates certs;
    private EchoUpstream upstream;
    private GatewayHarness gateway;
    private int plainPort;

    @BeforeAll
    void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        upstream = EchoUpstream.start();
        plainPort = GatewayHarness.freePort();
        // The portal needs a users file; one user with a cheap (OWASP minimum) Argon2id hash nobody signs in with.
        String hash = new PasswordHasher(new Argon2Parameters(19456, 2, 1)).hash("unused password".toCharArray());
        Files.writeString(dir.resolve("users.yaml"), "users:\n  - username: alice\n    password: \"" + hash + "\"\n");
        gateway = GatewayHarness.start(dir, config(""), upstream.port());
    }

    @AfterAll
    void stop() {
        gateway.close();
        upstream.close();
    }

    @BeforeEach
    void defaults() throws Exception {
        reload("");
        GatewayUnderTest.drain(upstream);
    }

    private String config(String hsts) {
        return CONFIG.replace("@CHAIN@", certs.certificateChainPem().toString())
                .replace("@KEY@", certs.privateKeyPem().toString())
                .replace("@PLAIN_PORT@", Integer.toString(plainPort))
                .replace("@DATA@", dir.resolve("data").toString())
                .replace("@STORAGE_KEY@", "00".repeat(32))
                .replace("@USERS@", dir.resolve("users.yaml").toString())
                .replace("@HSTS@\n", hsts);
    }

    private void reload(String hsts) throws Exception {
        gateway.rewriteConfig(config(hsts), upstream.port());
        assertThat(gateway.reloader().reload()).isIn(Outcome.APPLIED, Outcome.APPLIED_LISTENERS_NEED_RESTART);
    }

    private RawResponse overTls(String host, String target) throws Exception {
        try (RawHttpClient client = RawHttpClient.connectTls(gateway.port(), certs, host)) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: " + host + ":" + gateway.port() + "\r\n\r\n");
            return client.readResponse(WAIT);
        }
    }

    /** On the plain listener, as a TLS-terminating proxy on 127.0.0.1 would forward an https request. */
    private RawResponse overPlainFromProxy(String host, String target) throws Exception {
        return RawHttpClient.exchange(plainPort, "GET " + target + " HTTP/1.1\r\nHost: " + host + ":"
                + gateway.port() + "\r\nX-Forwarded-For: 192.0.2.1\r\nX-Forwarded-Proto: https\r\n\r\n");
    }

    @Test
    void portalPagesOverTlsCarryHstsByDefault() throws Exception {
        RawResponse response = overTls("login.test", "/.portcullis/login");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers(STS)).containsExactly("max-age=31536000");
    }

    @Test
    void proxiedResponsesCarryNoHstsByDefault() throws Exception {
        RawResponse response = overTls("app.test", "/page");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers(STS)).isEmpty();
    }

    @Test
    void onProxiedAddsTheConfiguredHeaderToProxiedResponses() throws Exception {
        reload("""
                  hsts:
                    max_age: 1d
                    include_subdomains: true
                    on_proxied: true
                """);

        RawResponse proxied = overTls("app.test", "/page");
        RawResponse portal = overTls("login.test", "/.portcullis/login");

        assertThat(proxied.status()).isEqualTo(200);
        assertThat(proxied.headers(STS)).containsExactly("max-age=86400; includeSubDomains");
        assertThat(portal.headers(STS)).containsExactly("max-age=86400; includeSubDomains");
    }

    @Test
    void portalFalseSwitchesItOffForThePortal() throws Exception {
        reload("""
                  hsts:
                    portal: false
                """);

        RawResponse response = overTls("login.test", "/.portcullis/login");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers(STS)).isEmpty();
    }

    @Test
    void neverOnThePlainListenerEvenBehindATlsTerminatingProxy() throws Exception {
        reload("""
                  hsts:
                    on_proxied: true
                """);

        RawResponse portal = overPlainFromProxy("login.test", "/.portcullis/login");
        RawResponse proxied = overPlainFromProxy("app.test", "/page");

        assertThat(portal.status()).isEqualTo(200);
        assertThat(portal.headers(STS)).isEmpty();
        assertThat(proxied.status()).isEqualTo(200);
        assertThat(proxied.headers(STS)).isEmpty();
    }

    @Test
    void aTlsListenersPortIsNoOriginOfAPlainRequest() throws Exception {
        RawResponse response = RawHttpClient.exchange(plainPort,
                "GET /page HTTP/1.1\r\nHost: app.test:" + gateway.port() + "\r\n\r\n");
        RawResponse ownPort = RawHttpClient.exchange(plainPort,
                "GET /page HTTP/1.1\r\nHost: app.test:" + plainPort + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(ownPort.status()).isEqualTo(200);
        assertThat(upstream.takeRequest(WAIT).headers("Host")).containsExactly("app.test:" + plainPort);
        assertThat(upstream.takeRequest(Duration.ofMillis(300))).as("only the second request was forwarded").isNull();
    }
}
