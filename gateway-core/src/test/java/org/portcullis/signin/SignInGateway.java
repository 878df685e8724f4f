package org.portcullis.signin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
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
import org.portcullis.storage.StorageExecutor;

/**
 * The real gateway with sign-in on 127.0.0.1 over TLS, as an admin would configure it: a portal at
 * {@code https://login.test:PORT}, two protected hosts {@code app.test} and {@code other.test} on one echo upstream,
 * a users file with alice (groups staff, clinicians) and bob, the embedded store in a temp folder, an audit file, and
 * the access log in {@code access.log} (written only while the {@code portcullis.access} logger is at INFO or below,
 * which logback-test.xml does not set).
 * Passwords are hashed with OWASP's minimum Argon2id cost, which the users file loader accepts, to keep tests fast.
 *
 * <p>Requests go over raw TLS sockets with the test CA; {@code Host} names the host, the socket always goes to
 * loopback.
 */
final class SignInGateway implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    static final String BOB_PASSWORD = "bob's own long password";
    static final Argon2Parameters CHEAP = new Argon2Parameters(19456, 2, 1);
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern ABSOLUTE = Pattern.compile("https://([a-z0-9.-]+)(?::\\d+)?(/.*)?");
    private static final Pattern STATE = Pattern.compile("[?&]state=([A-Za-z0-9_-]{43})");

    final Path dir;
    final TestCertificates certs;
    final EchoUpstream upstream;
    final GatewayServer server;
    final int port;
    final Path audit;
    /** The audit chain key (audit.key), 32 bytes in hex; distinct from the storage key. */
    static final String AUDIT_KEY = "a1".repeat(32);
    final Path dataDir;
    /** The default browser's SSO state cookie pair per protected host, as the hosts' challenges set them. */
    private final java.util.Map<String, String> hostStates = new java.util.concurrent.ConcurrentHashMap<>();

    private SignInGateway(Path dir, TestCertificates certs, EchoUpstream upstream, GatewayServer server, int port) {
        this.dir = dir;
        this.certs = certs;
        this.upstream = upstream;
        this.server = server;
        this.port = port;
        this.audit = dir.resolve("audit.jsonl");
        this.dataDir = dir.resolve("data");
    }

    /** The default access policy: {@code /public} bypassed, everything else one_factor. */
    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: public
                  paths: ["/public/**"]
                  policy: bypass
                - id: signed-in
                  hosts: [app.test, other.test]
                  policy: one_factor
            """;

    static SignInGateway start(Path dir, Clock clock) throws Exception {
        return start(dir, clock, POLICY, "");
    }

    static SignInGateway start(Path dir, Clock clock, String policyYaml, String extraYaml) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return start(dir, clock, policyYaml, extraYaml, HexFormat.of().formatHex(key));
    }

    /**
     * Like {@link #start(Path, Clock, String, String)} with {@code storage.encryption_key} set to {@code keyText}
     * (64 hex digits or base64). Starting again on the same {@code dir} keeps the store: a restart.
     */
    static SignInGateway start(Path dir, Clock clock, String policyYaml, String extraYaml, String keyText)
            throws Exception {
        return start(dir, clock, policyYaml, extraYaml, keyText, new StorageExecutor(),
                GatewayServer.StartOptions.DEFAULT, "", "", "");
    }

    /** Like {@link #start(Path, Clock, String, String)} on the storage threads {@code storageThreads} (as run wires). */
    static SignInGateway start(Path dir, Clock clock, String policyYaml, String extraYaml,
                               StorageExecutor storageThreads) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return start(dir, clock, policyYaml, extraYaml, HexFormat.of().formatHex(key), storageThreads,
                GatewayServer.StartOptions.DEFAULT, "", "", "");
    }

    /** Like {@link #start(Path, Clock, String, String, StorageExecutor)}, started with {@code options}. */
    static SignInGateway start(Path dir, Clock clock, String policyYaml, String extraYaml,
                               StorageExecutor storageThreads, GatewayServer.StartOptions options) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return start(dir, clock, policyYaml, extraYaml, HexFormat.of().formatHex(key), storageThreads, options, "", "", "");
    }

    /** Like {@link #start(Path, Clock, String, String)} with {@code serverYaml} added to the {@code server} section. */
    static SignInGateway startWithServer(Path dir, Clock clock, String policyYaml, String extraYaml,
                                         String serverYaml) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return start(dir, clock, policyYaml, extraYaml, HexFormat.of().formatHex(key), new StorageExecutor(),
                GatewayServer.StartOptions.DEFAULT, serverYaml, "", "");
    }

    /** Like {@link #startWithUsers} with {@code serverYaml} added to the {@code server} section (e.g. admin). */
    static SignInGateway startWithServerAndUsers(Path dir, Clock clock, String policyYaml, String extraYaml,
                                                 String serverYaml, String usersYaml) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return start(dir, clock, policyYaml, extraYaml, HexFormat.of().formatHex(key), new StorageExecutor(),
                GatewayServer.StartOptions.DEFAULT, serverYaml, "", usersYaml);
    }

    /** Like {@link #start(Path, Clock, String, String)} with {@code usersYaml} added under {@code users:} (e.g. ldap). */
    static SignInGateway startWithUsers(Path dir, Clock clock, String policyYaml, String extraYaml, String usersYaml)
            throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return start(dir, clock, policyYaml, extraYaml, HexFormat.of().formatHex(key), new StorageExecutor(),
                GatewayServer.StartOptions.DEFAULT, "", "", usersYaml);
    }

    private static SignInGateway start(Path dir, Clock clock, String policyYaml, String extraYaml, String keyText,
                                       StorageExecutor storageThreads, GatewayServer.StartOptions options)
            throws Exception {
        return start(dir, clock, policyYaml, extraYaml, keyText, storageThreads, options, "", "", "");
    }

    /**
     * A node of a cluster: like {@link #start(Path, Clock, String, String, String)} with {@code storageYaml} (keys
     * under {@code storage:}, indented two spaces, such as {@code backend: postgresql} and its section) added to the
     * storage section. Nodes started with the same key and storage share every session and factor.
     */
    static SignInGateway startNode(Path dir, Clock clock, String policyYaml, String keyText, String storageYaml)
            throws Exception {
        return start(dir, clock, policyYaml, "", keyText, new StorageExecutor(), GatewayServer.StartOptions.DEFAULT,
                "", storageYaml, "");
    }

    /** Like {@link #startNode(Path, Clock, String, String, String)} with {@code extraYaml} (e.g. cache, targets). */
    static SignInGateway startNode(Path dir, Clock clock, String policyYaml, String keyText, String storageYaml,
                                   String extraYaml) throws Exception {
        return start(dir, clock, policyYaml, extraYaml, keyText, new StorageExecutor(),
                GatewayServer.StartOptions.DEFAULT, "", storageYaml, "");
    }

    private static SignInGateway start(Path dir, Clock clock, String policyYaml, String extraYaml, String keyText,
                                       StorageExecutor storageThreads, GatewayServer.StartOptions options,
                                       String serverYaml, String storageYaml, String usersYaml)
            throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        EchoUpstream upstream = EchoUpstream.start();
        int port = freePort();
        PasswordHasher hasher = new PasswordHasher(CHEAP);
        Path users = dir.resolve("users.yaml");
        Files.writeString(users, """
                users:
                  - username: alice
                    display_name: Alice Example
                    email: alice@example.org
                    groups: [staff, clinicians]
                    password: "%s"
                  - username: bob
                    display_name: Bob Example
                    email: bob@example.org
                    groups: [staff]
                    password: "%s"
                """.formatted(hasher.hash(PASSWORD.toCharArray()), hasher.hash(BOB_PASSWORD.toCharArray())));
        String yaml = """
                server:
                  listeners:
                    - address: 127.0.0.1:%d
                      tls:
                        certificate: %s
                        private_key: %s
                  trusted_proxies: [127.0.0.2/32]
                  access_log:
                    file: access.log
                %sroutes:
                  - name: app
                    host: app.test
                    upstream: http://127.0.0.1:%d
                    upstream_timeout: 2s
                  - name: other
                    host: other.test
                    upstream: http://127.0.0.1:%d
                    upstream_timeout: 2s
                    identity_headers: x_forwarded
                    jwt: true
                portal:
                  url: https://login.test:%d
                  branding:
                    organisation: Example Health Trust
                  help_contact: "IT service desk: 0123 456 7890"
                storage:
                  data_dir: %s
                  encryption_key: "%s"
                %s
                users:
                  file: %s
                %s
                audit:
                  file: %s
                  key: "%s"
                  rotate: never
                """.formatted(port, certs.certificateChainPem(), certs.privateKeyPem(), serverYaml, upstream.port(),
                upstream.port(), port, dir.resolve("data"), keyText, storageYaml.stripTrailing(), users,
                usersYaml.indent(2).stripTrailing(), dir.resolve("audit.jsonl"), AUDIT_KEY) + extraYaml + policyYaml;
        Path config = dir.resolve("portcullis.yaml");
        Files.writeString(config, yaml);
        GatewayServer server;
        try {
            server = GatewayServer.start(new ConfigLoader().load(config).config(), clock, storageThreads,
                    options);
        } catch (Exception | Error e) {
            upstream.close(); // a gateway that refused to start leaves nothing running
            throw e;
        }
        return new SignInGateway(dir, certs, upstream, server, port);
    }

    /** One request on a fresh TLS connection; {@code head} is everything after the request line, up to the body. */
    RawResponse send(String method, String host, String target, String headers, String body) throws IOException {
        return sendFrom(null, method, host, target, headers, body);
    }

    /** Like {@link #send}, from the loopback address {@code local} ({@code null}: the system's choice, 127.0.0.1). */
    RawResponse sendFrom(InetAddress local, String method, String host, String target, String headers, String body)
            throws IOException {
        try (RawHttpClient client = RawHttpClient.connectTls(port, certs, host, local)) {
            String request = method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers
                    + (body == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                    + "Connection: close\r\n\r\n" + (body == null ? "" : body);
            client.send(request);
            return client.readResponse(Duration.ofSeconds(10));
        }
    }

    /** A POST with a JSON body, as the portal's script sends it with fetch(); {@code headers} as for {@link #send}. */
    RawResponse sendJson(String host, String target, String headers, String json) throws IOException {
        try (RawHttpClient client = RawHttpClient.connectTls(port, certs, host, null)) {
            client.send("POST " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers
                    + "Content-Type: application/json\r\nContent-Length: "
                    + json.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + json);
            return client.readResponse(Duration.ofSeconds(10));
        }
    }

    /** A top-level browser navigation (what Chromium sends for a typed URL or a link). */
    RawResponse navigate(String host, String target, String cookies) throws IOException {
        return send("GET", host, target, "Accept: text/html,application/xhtml+xml\r\nSec-Fetch-Mode: navigate\r\n"
                + cookieHeader(cookies), null);
    }

    String portalOrigin() {
        return "https://login.test:" + port;
    }

    /**
     * The login form for {@code rd}: the CSRF cookie pair (with the portal's SSO flows cookie when {@code rd} is on a
     * protected host) and the token in the form. For a protected host's {@code rd} the default browser first visits it
     * there, as a browser would, so the host's challenge gives it the SSO state cookie and the portal URL its binding.
     */
    LoginForm loginForm(String rd) throws IOException {
        RawResponse form = navigate("login.test", loginTarget(rd), "");
        Matcher token = CSRF_FIELD.matcher(form.bodyText());
        if (form.status() != 200 || !token.find()) {
            throw new AssertionError("no login form: " + form.statusLine() + "\n" + form.bodyText());
        }
        String flows = cookiePair(form, "__Host-portcullis-sso-flows");
        return new LoginForm(cookiePair(form, "__Host-portcullis-csrf") + (flows == null ? "" : "; " + flows),
                token.group(1));
    }

    /**
     * The portal's sign-in path for {@code rd}, with the {@code state} the protected host named in {@code rd} gives
     * the default browser when it challenges it (none for a portal path or a host that does not challenge).
     */
    String loginTarget(String rd) throws IOException {
        String state = stateFor(rd);
        return "/.portcullis/login?rd=" + encode(rd) + (state == null ? "" : "&state=" + state);
    }

    /** The SSO state binding the default browser gets from {@code rd}'s host, or null; keeps the host's cookie. */
    String stateFor(String rd) throws IOException {
        Matcher url = ABSOLUTE.matcher(rd);
        if (!url.matches() || url.group(1).equals("login.test")) {
            return null;
        }
        String host = url.group(1);
        for (String target : List.of(url.group(2) == null ? "/" : url.group(2), "/")) {
            RawResponse challenge = navigate(host, target, hostStates.getOrDefault(host, ""));
            String cookie = cookiePair(challenge, "__Host-portcullis-sso");
            Matcher state = STATE.matcher(String.valueOf(challenge.header("Location")));
            if (challenge.status() == 302 && cookie != null && state.find()) {
                hostStates.put(host, cookie);
                return state.group(1);
            }
        }
        return null;
    }

    /** Keeps the SSO state cookie {@code challenge} set on {@code host} in the default browser. */
    void keepState(String host, RawResponse challenge) {
        String cookie = cookiePair(challenge, "__Host-portcullis-sso");
        if (cookie != null) {
            hostStates.put(host, cookie);
        }
    }

    /**
     * Where a continuation leads the default browser signed in at the portal with {@code portalCookie}: through the
     * callback when it is one; else (the portal had no SSO state for the host yet) to the host, whose challenge sends
     * it back to the portal with one, and on through the callback.
     */
    SignIn reach(String location, String portalCookie) throws IOException {
        if (location.contains("/.portcullis/callback?code=")) {
            return callback(location);
        }
        RawResponse continued = navigate("login.test", loginTarget(location), portalCookie);
        if (continued.status() != 303) {
            throw new AssertionError("the portal did not continue: " + continued.statusLine());
        }
        return callback(continued.header("Location"));
    }

    /** The default browser's SSO state cookie pair on {@code host} ("" when it has none). */
    String hostState(String host) {
        return hostStates.getOrDefault(host, "");
    }

    /** POSTs the login form as a browser on the portal would. */
    RawResponse postLogin(LoginForm form, String username, String password, String rd, String extraCookies)
            throws IOException {
        String body = "username=" + encode(username) + "&password=" + encode(password) + "&csrf="
                + encode(form.token()) + "&rd=" + encode(rd);
        String cookies = form.cookie() + (extraCookies.isEmpty() ? "" : "; " + extraCookies);
        return send("POST", "login.test", "/.portcullis/login", "Origin: " + portalOrigin()
                + "\r\nSec-Fetch-Site: same-origin\r\n" + cookieHeader(cookies), body);
    }

    /** Signs alice in at the portal; returns the portal's session cookie pair and the redirect it answered. */
    SignIn signIn(String username, String password, String rd) throws IOException {
        LoginForm form = loginForm(rd);
        RawResponse answer = postLogin(form, username, password, rd, "");
        if (answer.status() != 303) {
            throw new AssertionError("sign-in refused: " + answer.statusLine() + "\n" + answer.bodyText());
        }
        return new SignIn(cookiePair(answer, "__Host-portcullis"), answer.header("Location"));
    }

    /** Follows a callback URL on its host; returns the host's session cookie pair and where it sent the browser. */
    SignIn callback(String callbackUrl) throws IOException {
        String rest = callbackUrl.substring("https://".length());
        String host = rest.substring(0, rest.indexOf(':'));
        String target = rest.substring(rest.indexOf('/'));
        RawResponse answer = navigate(host, target, hostState(host));
        if (answer.status() != 302 || answer.header("Location").startsWith("https://")) {
            throw new AssertionError("callback refused: " + answer.statusLine() + " " + answer.header("Location"));
        }
        return new SignIn(cookiePair(answer, "__Host-portcullis"), answer.header("Location"));
    }

    /** The {@code name=value} pair the response's Set-Cookie for {@code name} sets, or null. */
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

    static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    List<String> auditLines() throws IOException {
        return Files.exists(audit) ? Files.readAllLines(audit) : List.of();
    }

    /**
     * The audit lines after the first {@code from}, once one of them contains every one of {@code parts}; the audit
     * file is written by its own thread, so this polls for up to five seconds, then returns what there is.
     */
    List<String> awaitAuditLine(int from, String... parts) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> lines = auditLines();
            List<String> added = lines.subList(Math.min(from, lines.size()), lines.size());
            boolean found = added.stream().anyMatch(line -> java.util.Arrays.stream(parts).allMatch(line::contains));
            if (found || System.nanoTime() > deadline) {
                return added;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    record LoginForm(String cookie, String token) {
    }

    record SignIn(String cookie, String location) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Forgets what the upstream recorded so far (the requests of earlier steps or tests). */
    void drainUpstream() {
        while (upstream.takeRequest(Duration.ofMillis(1)) != null) {
            // dropped
        }
    }

    @Override
    public void close() {
        server.close();
        upstream.close();
    }
}
