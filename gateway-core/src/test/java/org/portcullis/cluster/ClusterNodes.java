package org.portcullis.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portcullis.config.ConfigLoader;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.TestCertificates;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.server.GatewayServer;

/**
 * Two (or more) real gateways on 127.0.0.1 as two nodes behind a TCP load balancer on port 443: the same config but
 * for each node's listener port and audit file, one users file, one storage key, one Redis ({@code cache.redis}),
 * and either one shared SQLite directory or one each. Clients address {@code https://login.test} and
 * {@code https://app.test} without a port (443, which every node serves), and the test picks the node by the socket
 * it connects to, as a load balancer would.
 */
final class ClusterNodes implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    static final String PORTAL = "https://login.test";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("[?&]state=([A-Za-z0-9_-]{43})");

    final TestCertificates certs;
    final EchoUpstream upstream;
    final List<GatewayServer> nodes = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();

    private ClusterNodes(TestCertificates certs, EchoUpstream upstream) {
        this.certs = certs;
        this.upstream = upstream;
    }

    /**
     * Starts {@code count} nodes; {@code sharedStore} gives them one data directory, else each its own.
     * {@code cacheYaml} is the {@code cache:} section (or "" for none).
     */
    static ClusterNodes start(Path dir, int count, boolean sharedStore, String cacheYaml) throws Exception {
        return start(dir, count, sharedStore, cacheYaml, "");
    }

    /**
     * Like {@link #start(Path, int, boolean, String)} with {@code storageYaml} added to the {@code storage:} section
     * (keys indented two spaces, e.g. {@code backend: postgresql} and its section).
     */
    static ClusterNodes start(Path dir, int count, boolean sharedStore, String cacheYaml, String storageYaml)
            throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        EchoUpstream upstream = EchoUpstream.start();
        ClusterNodes cluster = new ClusterNodes(certs, upstream);
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String keyText = HexFormat.of().formatHex(key);
            PasswordHasher hasher = new PasswordHasher(new Argon2Parameters(19456, 2, 1));
            Path users = dir.resolve("users.yaml");
            Files.writeString(users, """
                    users:
                      - username: alice
                        display_name: Alice Example
                        email: alice@example.org
                        groups: [staff]
                        password: "%s"
                    """.formatted(hasher.hash(PASSWORD.toCharArray())));
            for (int i = 1; i <= count; i++) {
                int port = freePort();
                Path data = dir.resolve(sharedStore ? "data" : "data-" + i);
                String yaml = """
                        server:
                          listeners:
                            - address: 127.0.0.1:%d
                              tls:
                                certificate: %s
                                private_key: %s
                        routes:
                          - name: app
                            host: app.test
                            upstream: http://127.0.0.1:%d
                            upstream_timeout: 2s
                        portal:
                          url: %s
                          branding:
                            organisation: Example Health Trust
                        storage:
                          data_dir: %s
                          encryption_key: "%s"
                        %s
                        users:
                          file: %s
                        audit:
                          file: %s
                          key: "%s"
                          rotate: never
                        access_control:
                          default_policy: deny
                          rules:
                            - id: signed-in
                              hosts: [app.test]
                              policy: one_factor
                        """.formatted(port, certs.certificateChainPem(), certs.privateKeyPem(), upstream.port(),
                        PORTAL, data, keyText, storageYaml.stripTrailing(), users,
                        dir.resolve("audit-" + i + ".jsonl"), "a1".repeat(32))
                        + cacheYaml;
                Path config = dir.resolve("node-" + i + ".yaml");
                Files.writeString(config, yaml);
                cluster.nodes.add(GatewayServer.start(new ConfigLoader().load(config).config(), Clock.systemUTC()));
                cluster.ports.add(port);
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    GatewayServer node(int number) {
        return nodes.get(number - 1);
    }

    /** One request to node {@code number} on a fresh TLS connection, {@code Host} without a port. */
    RawResponse send(int number, String method, String host, String target, String headers, String body)
            throws IOException {
        try (RawHttpClient client = RawHttpClient.connectTls(ports.get(number - 1), certs, host, null)) {
            client.send(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                    + (body == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                    + "Connection: close\r\n\r\n" + (body == null ? "" : body));
            return client.readResponse(Duration.ofSeconds(10));
        }
    }

    RawResponse navigate(int number, String host, String target, String cookies) throws IOException {
        return send(number, "GET", host, target, "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\n"
                + "Sec-Fetch-Site: none\r\n" + cookieHeader(cookies), null);
    }

    /** A JSON POST from the portal's own page (the security-key script's fetch), with the session's CSRF header. */
    RawResponse postJson(int number, String target, String cookie, String csrf, String json) throws IOException {
        try (RawHttpClient client = RawHttpClient.connectTls(ports.get(number - 1), certs, "login.test", null)) {
            client.send("POST " + target + " HTTP/1.1\r\nHost: login.test\r\nOrigin: " + PORTAL
                    + "\r\nSec-Fetch-Site: same-origin\r\nX-CSRF-Token: " + csrf + "\r\n" + cookieHeader(cookie)
                    + "Content-Type: application/json\r\nContent-Length: "
                    + json.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + json);
            return client.readResponse(Duration.ofSeconds(10));
        }
    }

    /** Alice signed in at the portal itself on {@code number} (no protected host); returns the portal cookie pair. */
    String portalSignIn(int number) throws IOException {
        RawResponse form = navigate(number, "login.test", "/.portcullis/login?rd=", "");
        Matcher token = CSRF_FIELD.matcher(form.bodyText());
        if (form.status() != 200 || !token.find()) {
            throw new AssertionError("no login form: " + form.statusLine());
        }
        RawResponse answer = postForm(number, "/.portcullis/login", cookiePair(form, "__Host-portcullis-csrf"),
                "username=alice&password=" + encode(PASSWORD) + "&csrf=" + encode(token.group(1)) + "&rd=");
        String cookie = cookiePair(answer, "__Host-portcullis");
        if (answer.status() != 303 || cookie == null) {
            throw new AssertionError("sign-in refused: " + answer.statusLine());
        }
        return cookie;
    }

    /** The CSRF token of the form on the portal page {@code target} for {@code cookie}. */
    String csrf(int number, String target, String cookie) throws IOException {
        Matcher token = CSRF_FIELD.matcher(navigate(number, "login.test", target, cookie).bodyText());
        if (!token.find()) {
            throw new AssertionError("no form at " + target);
        }
        return token.group(1);
    }

    /** A form POST from the portal's own page. */
    RawResponse postForm(int number, String target, String cookies, String body) throws IOException {
        return send(number, "POST", "login.test", target, "Origin: " + PORTAL + "\r\nSec-Fetch-Site: same-origin\r\n"
                + cookieHeader(cookies), body);
    }

    /**
     * Alice's sign-in up to the callback URL: {@code app.test}'s challenge on {@code challengeNode} (the SSO state
     * cookie), the login form and its POST on {@code portalNode}. Returns the callback URL's path and query, the app
     * host's state cookie and the portal session cookie.
     */
    PendingSignIn signInUpToCallback(int challengeNode, int portalNode, String password) throws IOException {
        RawResponse challenge = navigate(challengeNode, "app.test", "/records", "");
        String hostState = cookiePair(challenge, "__Host-portcullis-sso");
        Matcher state = STATE.matcher(String.valueOf(challenge.header("Location")));
        if (challenge.status() != 302 || hostState == null || !state.find()) {
            throw new AssertionError("no challenge: " + challenge.statusLine() + " " + challenge.header("Location"));
        }
        String rd = "https://app.test/records";
        RawResponse form = navigate(portalNode, "login.test", "/.portcullis/login?rd=" + encode(rd) + "&state="
                + state.group(1), "");
        Matcher token = CSRF_FIELD.matcher(form.bodyText());
        if (form.status() != 200 || !token.find()) {
            throw new AssertionError("no login form: " + form.statusLine());
        }
        String flows = cookiePair(form, "__Host-portcullis-sso-flows");
        String cookies = cookiePair(form, "__Host-portcullis-csrf") + (flows == null ? "" : "; " + flows);
        RawResponse answer = postForm(portalNode, "/.portcullis/login", cookies, "username=alice&password="
                + encode(password) + "&csrf=" + encode(token.group(1)) + "&rd=" + encode(rd));
        String location = String.valueOf(answer.header("Location"));
        return new PendingSignIn(answer, location.startsWith("https://app.test") ? location.substring(
                "https://app.test".length()) : location, hostState, cookiePair(answer, "__Host-portcullis"));
    }

    /** Alice signed in to app.test through {@code callbackNode}; returns the app host's session cookie pair. */
    String signedIn(int challengeNode, int portalNode, int callbackNode) throws IOException {
        PendingSignIn pending = signInUpToCallback(challengeNode, portalNode, PASSWORD);
        RawResponse callback = navigate(callbackNode, "app.test", pending.callbackTarget(), pending.hostState());
        String cookie = cookiePair(callback, "__Host-portcullis");
        if (callback.status() != 302 || cookie == null) {
            throw new AssertionError("callback refused: " + callback.statusLine() + " " + callback.header("Location"));
        }
        return cookie;
    }

    record PendingSignIn(RawResponse answer, String callbackTarget, String hostState, String portalCookie) {
    }

    static String cookiePair(RawResponse response, String name) {
        for (String setCookie : response.headers("Set-Cookie")) {
            String pair = setCookie.substring(0, setCookie.indexOf(';'));
            if (pair.startsWith(name + "=") && pair.length() > name.length() + 1) {
                return pair;
            }
        }
        return null;
    }

    static String cookieHeader(String cookies) {
        return cookies == null || cookies.isEmpty() ? "" : "Cookie: " + cookies + "\r\n";
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (GatewayServer node : nodes) {
            node.close();
        }
        upstream.close();
    }
}
