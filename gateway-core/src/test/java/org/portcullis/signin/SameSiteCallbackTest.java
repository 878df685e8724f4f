package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.config.ConfigLoader;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.TestCertificates;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.server.GatewayServer;
import org.portcullis.storage.StorageExecutor;

/**
 * SECURITY-RULES 25, the Fetch Metadata half of the callback check, through the running gateway where the portal
 * ({@code login.care.test}) and the protected host ({@code records.care.test}) are the same site: a genuine callback
 * there ends a redirect chain within one site, so the browser calls it {@code same-site}, and a callback navigation
 * the browser calls {@code cross-site} came from another site's page (a link an attacker planted). Such a callback is
 * refused even in the browser that started the sign-in, holding its own state cookie: nothing is set, nothing reaches
 * the upstream, the code is used up, and the refusal is audited as {@code cross_site}. (SsoCallbackBindingTest covers
 * the state binding, which holds whatever the headers say, with a portal on another site.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class SameSiteCallbackTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);
    static final String PORTAL = "login.care.test";
    static final String RECORDS = "records.care.test";
    static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    TestCertificates certs;
    EchoUpstream upstream;
    GatewayServer server;
    Path audit;
    int port;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"), List.of("*.care.test"));
        upstream = EchoUpstream.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path users = dir.resolve("users.yaml");
        Files.writeString(users, """
                users:
                  - username: alice
                    display_name: Alice Example
                    password: "%s"
                """.formatted(new PasswordHasher(SignInGateway.CHEAP).hash(SignInGateway.PASSWORD.toCharArray())));
        audit = dir.resolve("audit.jsonl");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path config = dir.resolve("portcullis.yaml");
        Files.writeString(config, """
                server:
                  listeners:
                    - address: 127.0.0.1:%d
                      tls:
                        certificate: %s
                        private_key: %s
                routes:
                  - name: records
                    host: %s
                    upstream: http://127.0.0.1:%d
                    upstream_timeout: 2s
                portal:
                  url: https://%s:%d
                storage:
                  data_dir: %s
                  encryption_key: "%s"
                users:
                  file: %s
                audit:
                  file: %s
                  key: "%s"
                  rotate: never
                access_control:
                  default_policy: one_factor
                """.formatted(port, certs.certificateChainPem(), certs.privateKeyPem(), RECORDS, upstream.port(),
                PORTAL, port, dir.resolve("data"), HexFormat.of().formatHex(key), users,
                audit, SignInGateway.AUDIT_KEY), StandardCharsets.UTF_8);
        server = GatewayServer.start(new ConfigLoader().load(config).config(), clock, new StorageExecutor(),
                GatewayServer.StartOptions.DEFAULT);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        upstream.close();
    }

    @BeforeEach
    void drain() {
        while (upstream.takeRequest(Duration.ofMillis(1)) != null) {
            // the earlier steps' requests
        }
    }

    RawResponse send(String method, String host, String target, String headers, String body) throws IOException {
        try (RawHttpClient client = RawHttpClient.connectTls(port, certs, host)) {
            client.send(method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers
                    + (body == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                    + "Connection: close\r\n\r\n" + (body == null ? "" : body));
            return client.readResponse(Duration.ofSeconds(10));
        }
    }

    RawResponse navigate(String host, String target, String cookies, String fetchSite) throws IOException {
        return send("GET", host, target, "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\n" + fetchSite
                + (cookies.isEmpty() ? "" : "Cookie: " + cookies + "\r\n"), null);
    }

    /** One browser signs in from records.care.test/chart up to the callback link: its state cookie and the link. */
    String[] signInUpToTheCallback() throws IOException {
        RawResponse challenge = navigate(RECORDS, "/chart", "", "");
        assertThat(challenge.status()).isEqualTo(302);
        String state = SignInGateway.cookiePair(challenge, "__Host-portcullis-sso");
        String login = challenge.header("Location");
        assertThat(login).startsWith("https://" + PORTAL + ":" + port + "/.portcullis/login?rd=");
        RawResponse form = navigate(PORTAL, login.substring(login.indexOf("/.portcullis/")), "",
                "Sec-Fetch-Site: same-site\r\n");
        Matcher token = CSRF_FIELD.matcher(form.bodyText());
        assertThat(token.find()).as(form.statusLine()).isTrue();
        String cookies = SignInGateway.cookiePair(form, "__Host-portcullis-csrf") + "; "
                + SignInGateway.cookiePair(form, "__Host-portcullis-sso-flows");
        String rd = "https://" + RECORDS + ":" + port + "/chart";
        RawResponse signedIn = send("POST", PORTAL, "/.portcullis/login", "Origin: https://" + PORTAL + ":" + port
                + "\r\nSec-Fetch-Site: same-origin\r\nCookie: " + cookies + "\r\n", "username=alice&password="
                + SignInGateway.encode(SignInGateway.PASSWORD) + "&csrf=" + SignInGateway.encode(token.group(1))
                + "&rd=" + SignInGateway.encode(rd));
        assertThat(signedIn.status()).isEqualTo(303);
        String link = signedIn.header("Location");
        assertThat(link).startsWith("https://" + RECORDS + ":" + port + "/.portcullis/callback?code=");
        return new String[] {state, link.substring(link.indexOf("/.portcullis/"))};
    }

    static Stream<Arguments> fetchSites() {
        return Stream.of(
                // the end of the genuine redirect chain within one site: signed in
                Arguments.of("Sec-Fetch-Site: same-site\r\n", true),
                // an older browser without Fetch Metadata: the state cookie alone decides
                Arguments.of("", true),
                // a navigation from another site's page: no genuine callback can carry it here
                Arguments.of("Sec-Fetch-Site: cross-site\r\n", false),
                // the header twice: ambiguous, refused
                Arguments.of("Sec-Fetch-Site: same-site\r\nSec-Fetch-Site: cross-site\r\n", false));
    }

    @ParameterizedTest(name = "{index}: {0} → signed in: {1}")
    @MethodSource("fetchSites")
    void aCrossSiteCallbackNavigationBetweenSameSiteHostsIsRefused(String fetchSite, boolean signsIn)
            throws Exception {
        String[] started = signInUpToTheCallback();
        int auditBefore = Files.readAllLines(audit).size();

        RawResponse callback = navigate(RECORDS, started[1], started[0], fetchSite);

        assertThat(callback.status()).isEqualTo(302);
        String session = SignInGateway.cookiePair(callback, "__Host-portcullis");
        if (signsIn) {
            assertThat(callback.header("Location")).isEqualTo("/chart");
            assertThat(session).isNotNull();
            assertThat(navigate(RECORDS, "/chart", session, "").status()).isEqualTo(200);
            assertThat(upstream.takeRequest(WAIT).headers("Remote-User")).containsExactly("alice");
            return;
        }
        assertThat(callback.header("Location")).isEqualTo("https://" + PORTAL + ":" + port + "/.portcullis/login");
        assertThat(callback.headers("Set-Cookie")).noneSatisfy(c -> assertThat(c).startsWith("__Host-portcullis="));
        assertThat(upstream.takeRequest(NOTHING)).as("nothing reached the upstream").isNull();
        // The refused code is used up: the same browser cannot redeem it afterwards, however it asks.
        RawResponse again = navigate(RECORDS, started[1], started[0], "Sec-Fetch-Site: same-site\r\n");
        assertThat(SignInGateway.cookiePair(again, "__Host-portcullis")).isNull();
        assertThat(awaitAuditLine(auditBefore, "\"event.reason\":\"cross_site\""))
                .contains("\"event.action\":\"sso.callback\"").contains("\"event.outcome\":\"failure\"");
    }

    private String awaitAuditLine(int from, String part) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(audit);
            for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
                if (line.contains(part)) {
                    return line;
                }
            }
            Thread.sleep(20); // polling the trail, written by its own thread; not waiting for time to pass
        }
        throw new AssertionError("no audit line with " + part);
    }
}
