package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;

/**
 * Open redirects through the real gateway (SECURITY-RULES 16): whatever {@code rd} a hostile link carries, the
 * portal's 303 after sign-in (POST) or for a browser already signed in (GET, single sign-on) goes to the portal's home
 * or to a callback on a protected host, never anywhere else. {@code PORT} in a payload is the gateway's port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenRedirectTest {
    /** The gateway answers only after any upstream exchange, so a short look at the upstream is enough. */
    static final Duration NOTHING = Duration.ofMillis(20);

    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;
    String portalCookie;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock);
        portalCookie = gateway.signIn("alice", SignInGateway.PASSWORD, "/.portcullis/").cookie();
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @BeforeEach
    void drain() {
        gateway.drainUpstream();
    }

    static Stream<String> hostileTargets() {
        return Stream.of(
                "//evil.test/",                                   // scheme-relative: https://evil.test/
                "//evil.test",                                    // scheme-relative, no path
                "///evil.test/",                                  // three slashes, browsers read as //evil.test
                "/\\evil.test/",                                  // backslash read as '/' by browsers
                "\\\\evil.test/",                                 // two backslashes
                "/\\/evil.test/",                                 // mixed slash and backslash
                "https://evil.test/",                             // plain foreign host
                "https://evil.test:PORT/",                        // foreign host on the gateway's port
                "https://app.test.evil.test:PORT/",               // protected name as a prefix of a foreign one
                "https://evil.test.app.test:PORT/",               // a deeper name under a protected one
                "https://app.test@evil.test:PORT/",               // user info: the host is evil.test
                "https://app.test:PORT@evil.test/",               // user info with the port
                "https://evil.test\\@app.test:PORT/",             // backslash and user info confusion
                "http://app.test:PORT/",                          // http, not https
                "HTTPS://app.test:PORT/",                         // upper-case scheme is refused, not folded
                "https://app.test:1/",                            // a port the gateway does not serve
                "https://app.test:0PORT/",                        // leading zero in the port
                "https://app.test.:PORT/",                        // trailing dot
                "https://app.test:PORT",                          // no path after the authority
                "javascript:alert(document.domain)",              // script URL
                "JaVaScRiPt:alert(1)",                            // script URL, mixed case
                "data:text/html,<script>alert(1)</script>",       // data URL
                "%2f%2fevil.test/",                               // still-encoded scheme-relative
                "/%2f%2fevil.test/",                              // encoded slashes in the path
                "/%252f%252fevil.test/",                          // double-encoded slashes
                "https%3A%2F%2Fevil.test%2F",                     // a whole encoded URL
                "/%5cevil.test/",                                 // encoded backslash
                "/\r\nLocation: https://evil.test/",              // CR LF header injection
                "/%0d%0aSet-Cookie:%20x=y",                       // encoded CR LF in the path
                "/\t/evil.test/",                                 // tab, dropped by browsers → //evil.test
                "/\n/evil.test/",                                 // LF, dropped by browsers → //evil.test
                " //evil.test/",                                  // leading space
                "https://app.t\u0435st:PORT/",                    // IDN look-alike (Cyrillic e)
                "https://\u0435vil.test/",                        // IDN host
                "/\uff0fevil.test/",                              // full-width solidus
                "https://[::1]:PORT/",                            // IPv6 literal
                "https://127.0.0.1:PORT/",                        // IPv4 literal that is no route host
                "https://other.test:PORT//evil.test",             // protected host, path '//' (not canonical)
                "https://other.test:PORT/../evil.test",           // dot segment
                "https://other.test:PORT/%2e%2e/x",               // encoded dot segment
                "https://app.test:PORT/#@evil.test",              // fragment
                "https://app.test%2eevil.test:PORT/",             // encoded dot in the host
                "https://evil.test%23.app.test:PORT/",            // encoded '#' in the host
                "/" + "a".repeat(2100));                          // too long
    }

    String payload(String template) {
        return template.replace("PORT", Integer.toString(gateway.port));
    }

    String home() {
        return gateway.portalOrigin() + "/.portcullis/";
    }

    @ParameterizedTest
    @MethodSource("hostileTargets")
    void aSignedInBrowserFollowingAHostileLinkLandsOnThePortalHome(String template) throws Exception {
        RawResponse answer = gateway.navigate("login.test", "/.portcullis/login?rd="
                + SignInGateway.encode(payload(template)), portalCookie);

        assertThat(answer.status()).isEqualTo(303);
        assertThat(answer.header("Location")).isEqualTo(home());
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @ParameterizedTest
    @MethodSource("hostileTargets")
    void signingInWithAHostileRdLandsOnThePortalHome(String template) throws Exception {
        String rd = payload(template);
        SignInGateway.LoginForm form = gateway.loginForm("/");
        RawResponse answer = gateway.postLogin(form, "bob", SignInGateway.BOB_PASSWORD, rd, "");

        if (answer.status() == 403) {
            // A form field with raw control characters is not a form at all: refused like a forged one.
            assertThat(answer.header("Location")).isNull();
            assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).isNull();
            assertThat(template).containsAnyOf("\r", "\n", "\t");
        } else {
            assertThat(answer.status()).isEqualTo(303);
            assertThat(answer.header("Location")).isEqualTo(home());
        }
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
    }

    @Test
    void aProtectedHostTargetStillGoesThroughItsCallback() throws Exception {
        // The control row: the allow-list is not simply refusing everything.
        RawResponse answer = gateway.navigate("login.test",
                gateway.loginTarget("https://other.test:" + gateway.port + "/b?x=1"), portalCookie);

        assertThat(answer.status()).isEqualTo(303);
        assertThat(answer.header("Location")).startsWith("https://other.test:" + gateway.port
                + "/.portcullis/callback?code=");
    }

    @Test
    void theDefaultHttpsPortIsRefusedWhenNoListenerServesIt() throws Exception {
        // https://app.test/ names port 443; the gateway listens on its test port only and portal.url names that one,
        // so nothing serves 443: the browser would be sent to whatever answers there.
        RawResponse answer = gateway.navigate("login.test", gateway.loginTarget("https://app.test/"), portalCookie);

        assertThat(answer.status()).isEqualTo(303);
        assertThat(answer.header("Location")).isEqualTo(home());
    }
}
