package org.portcullis.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigLoader;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.fixtures.TestCertificates;
import org.portcullis.server.GatewayServer;

/**
 * Proves the real-browser set-up works end to end: Chromium resolves {@code *.test} to the gateway on 127.0.0.1,
 * completes TLS against the test certificate (trusted by key, not by switching verification off), and the gateway
 * routes by host to the right upstream. One gateway, two upstreams and one browser for the whole class.
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class BrowserSmokeTest {

    private static final Duration NOTHING_ARRIVES = Duration.ofMillis(300);

    @TempDir
    static Path dir;

    private TestCertificates certificates;
    private EchoUpstream app;
    private EchoUpstream other;
    private GatewayServer gateway;
    private int port;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        certificates = TestCertificates.create(dir.resolve("tls"));
        app = EchoUpstream.start();
        other = EchoUpstream.start();
        Path config = dir.resolve("portcullis.yaml");
        Files.writeString(config, """
                server:
                  listeners:
                    - address: 127.0.0.1:0
                      tls:
                        certificate: %s
                        private_key: %s
                routes:
                  - name: app
                    host: app.test
                    upstream: http://127.0.0.1:%d
                    upstream_timeout: 2s
                  - name: other
                    host: other.test
                    upstream: http://127.0.0.1:%d
                    upstream_timeout: 2s
                access_control:
                  default_policy: bypass
                """.formatted(certificates.certificateChainPem(), certificates.privateKeyPem(), app.port(),
                other.port()), StandardCharsets.UTF_8);
        gateway = GatewayServer.start(new ConfigLoader().load(config).config(), Clock.systemUTC());
        port = gateway.boundAddresses().get(0).getPort();
        browser = Browser.start(certificates);
    }

    @AfterAll
    void stop() {
        // each in its own step, so one failure does not leave the others running
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (gateway != null) {
                    gateway.close();
                }
            } finally {
                closeUpstreams();
            }
        }
    }

    private void closeUpstreams() {
        if (app != null) {
            app.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @BeforeEach
    void forgetEarlierRequests() {
        while (app.takeRequest(Duration.ZERO) != null || other.takeRequest(Duration.ZERO) != null) {
            // drain: each test asserts only on what its own navigation caused
        }
    }

    @Test
    void pageFromTheUpstreamRendersInChromiumOverTlsThroughTheGateway() {
        browser.open("https://app.test:" + port + "/hello?x=1");

        assertThat(browser.currentUrl()).isEqualTo("https://app.test:" + port + "/hello?x=1");
        assertThat(browser.responseStatus()).isEqualTo(200);
        assertThat(browser.pageText()).contains("\"target\":\"/hello?x=1\"").contains("app.test:" + port);

        RecordedRequest received = app.takeRequest(Browser.WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /hello?x=1 HTTP/1.1");
        // the canonical authority: the port is not the https default, so it stays
        assertThat(received.header("Host")).isEqualTo("app.test:" + port);
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(received.headers("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(received.header("User-Agent")).contains("Chrome/");
        assertThat(app.takeRequest(NOTHING_ARRIVES)).as("no favicon or other request of the browser's own").isNull();
        assertThat(other.takeRequest(Duration.ZERO)).isNull();
    }

    @Test
    void secondHostInTheSameBrowserReachesItsOwnUpstream() {
        browser.open("https://other.test:" + port + "/elsewhere");

        assertThat(browser.responseStatus()).isEqualTo(200);
        assertThat(browser.pageText()).contains("\"target\":\"/elsewhere\"");
        RecordedRequest received = other.takeRequest(Browser.WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("GET /elsewhere HTTP/1.1");
        assertThat(received.header("Host")).isEqualTo("other.test:" + port);
        assertThat(app.takeRequest(NOTHING_ARRIVES)).isNull();
    }

    @Test
    void unknownHostGetsTheGatewaysNotFoundPageAndNoUpstreamIsAsked() {
        browser.open("https://nobody.test:" + port + "/");

        assertThat(browser.responseStatus()).isEqualTo(404);
        assertThat(app.takeRequest(NOTHING_ARRIVES)).isNull();
        assertThat(other.takeRequest(Duration.ZERO)).isNull();
    }

    @Test
    void cookiesSetByTheUpstreamAreStoredPerHostWithTheirAttributes() {
        browser.open("https://app.test:" + port
                + "/response-headers?Set-Cookie=__Host-smoke%3Done%3B%20Secure%3B%20HttpOnly%3B%20Path%3D%2F%3B%20SameSite%3DStrict");

        assertThat(browser.cookie("__Host-smoke")).hasValueSatisfying(cookie -> {
            assertThat(cookie.value()).isEqualTo("one");
            assertThat(cookie.domain()).isEqualTo("app.test");
            assertThat(cookie.path()).isEqualTo("/");
            assertThat(cookie.secure()).isTrue();
            assertThat(cookie.httpOnly()).isTrue();
            assertThat(cookie.sameSite()).isEqualTo("Strict");
            assertThat(cookie.isSessionCookie()).isTrue();
        });
        browser.open("https://other.test:" + port + "/");
        assertThat(browser.cookie("__Host-smoke")).isEmpty();
        assertThat(other.takeRequest(Browser.WAIT).header("Cookie")).isNull();
    }

    @Test
    void newContextIsAnotherUserWithoutTheFirstBrowsersCookies() {
        browser.open("https://app.test:" + port + "/response-headers?Set-Cookie=shared%3Dfirst%3B%20Secure");
        assertThat(browser.cookie("shared")).isPresent();
        app.takeRequest(Browser.WAIT);

        try (Browser stranger = browser.newContext()) {
            stranger.open("https://app.test:" + port + "/again");

            assertThat(stranger.cookies()).isEmpty();
            RecordedRequest received = app.takeRequest(Browser.WAIT);
            assertThat(received.requestLine()).isEqualTo("GET /again HTTP/1.1");
            assertThat(received.header("Cookie")).isNull();
        } finally {
            browser.open("https://app.test:" + port + "/").deleteCookies();
        }
    }

    @Test
    void formFilledByLabelAndByNameIsPostedThroughTheGateway() {
        // a page of our own (no upstream here serves HTML) whose form posts to the protected host
        String form = "<form method=post action='https://app.test:" + port + "/submitted'>"
                + "<label for=u>User name</label><input id=u name=username value=old>"
                + "<input type=password name=password>"
                + "<button name=go value=in>Sign in</button><button name=go value=out>Cancel</button></form>";
        browser.open("data:text/html," + URLEncoder.encode(form, StandardCharsets.UTF_8).replace("+", "%20"));

        assertThatThrownBy(browser::submit).as("two buttons: the test must say which")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[Sign in, Cancel]");
        browser.fill("User name", "alice").fill("password", "p&ss word").submit("Sign in");

        assertThat(browser.currentUrl()).isEqualTo("https://app.test:" + port + "/submitted");
        RecordedRequest received = app.takeRequest(Browser.WAIT);
        assertThat(received).isNotNull();
        assertThat(received.requestLine()).isEqualTo("POST /submitted HTTP/1.1");
        assertThat(received.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(received.bodyText()).isEqualTo("username=alice&password=p%26ss+word&go=in");
    }

    @Test
    void certificateOfAnotherCaIsRefusedSoTlsIsReallyVerified() {
        TestCertificates stranger = TestCertificates.create(dir.resolve("stranger"));
        try (EchoUpstream impostor = EchoUpstream.tls(stranger)) {
            // chromedriver does not report "insecure certificate" here; Chromium shows its interstitial instead
            browser.open("https://app.test:" + impostor.port() + "/");

            assertThat(browser.pageText()).contains("NET::ERR_CERT_AUTHORITY_INVALID");
            assertThat(impostor.takeRequest(NOTHING_ARRIVES)).isNull();
        }
    }
}
