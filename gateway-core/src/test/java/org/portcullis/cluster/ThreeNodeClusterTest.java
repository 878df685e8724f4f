package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserRequirement;
import org.portcullis.config.ConfigLoader;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCredentials;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.fixtures.RedisServer;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.SecondFactorMessages;
import org.portcullis.portal.page.WebAuthnMessages;
import org.portcullis.proxy.AccessLog;
import org.portcullis.server.GatewayServer;
import org.portcullis.session.InvalidatingSessionStore;
import org.portcullis.session.SqliteSessionStore;
import org.portcullis.signin.VirtualKeys;
import org.portcullis.totp.TotpGenerator;
import org.portcullis.totp.TotpParameters;
import org.slf4j.LoggerFactory;

/**
 * Issue 18 §2: three gateway nodes on one PostgreSQL database and one Redis, behind a round-robin TCP balancer, act
 * as one gateway. What one node starts another finishes (an SSO callback code, a WebAuthn registration driven by a
 * real Chromium whose requests alternate between the nodes), a TOTP code sent to all three at once is accepted once,
 * and a revocation on one node is refused on another within a second. Each node is started as {@code portcullis run}
 * starts it, from its own config file; they differ only in port, access log and audit trail ({@link ClusterSite}).
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ThreeNodeClusterTest {
    private static final Pattern ACCESS_LINE = Pattern.compile("method=(\\S+) target=(\\S+) status=(\\d+)");

    private RedisServer redis;
    private ClusterSite site;
    private ClusterClient client;
    private RoundRobinBalancer balancer;
    private final List<GatewayServer> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Browser browser;
    private final Logger accessSwitch = (Logger) LoggerFactory.getLogger(AccessLog.SWITCH_LOGGER);
    private Level switchLevel;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        RedisRequirement.require();
        // logback-test.xml silences the access log; these tests read each node's file to see who served what.
        switchLevel = accessSwitch.getLevel();
        accessSwitch.setLevel(Level.INFO);
        redis = RedisServer.start(dir.resolve("redis"));
        for (int i = 0; i < 3; i++) {
            ports.add(RoundRobinBalancer.freePort());
        }
        balancer = RoundRobinBalancer.start(ports);
        site = ClusterSite.create(dir, PostgresServer.shared(), redis, balancer.port(),
                // The production default: these tests take nothing down, and a 1 s budget turned a heartbeat delayed
                // on a loaded machine into a 503 (seen once at load 6).
                List.of("alice", "bob", "carol", "dave"), "5s");
        client = new ClusterClient(site);
        for (int node = 1; node <= 3; node++) {
            Path config = site.writeNodeConfig(node, ports.get(node - 1), "");
            nodes.add(GatewayServer.start(new ConfigLoader().load(config).config(), Clock.systemUTC()));
        }
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : List.<AutoCloseable>of(() -> {
            if (browser != null) {
                browser.close();
            }
        }, () -> nodes.forEach(GatewayServer::close), () -> {
            if (balancer != null) {
                balancer.close();
            }
        }, () -> {
            if (site != null) {
                site.close();
            }
        }, () -> {
            if (redis != null) {
                redis.close();
            }
        })) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // best effort: the next one still runs
            }
        }
        accessSwitch.setLevel(switchLevel);
    }

    private int port(int node) {
        return ports.get(node - 1);
    }

    private SecondFactors factors(int node) {
        return nodes.get(node - 1).signIn().orElseThrow().secondFactors();
    }

    private void drainUpstream() {
        while (site.upstream.takeRequest(Duration.ofMillis(1)) != null) {
            // dropped
        }
    }

    /** {@code user}'s password on node 1, the callback code redeemed on node 2; returns the app.test cookie. */
    private String signedInAcrossNodes(String user, String target) throws IOException {
        ClusterClient.PasswordStep step = client.password(port(1), port(1), user, target);
        assertThat(step.answer().status()).as(step.answer().statusLine()).isEqualTo(303);
        String callback = client.onApp(step.answer().header("Location"));
        assertThat(callback).startsWith("/.portcullis/callback?code=");
        RawResponse redeemed = client.navigate(port(2), "app.test", callback, step.hostState());
        assertThat(redeemed.status()).as("callback on node 2").isEqualTo(302);
        assertThat(redeemed.header("Location")).isEqualTo(target);
        String cookie = ClusterClient.cookiePair(redeemed, "__Host-portcullis");
        assertThat(cookie).isNotNull();
        return cookie;
    }

    @Test
    @Order(1)
    void signedInOnNodeOneContinuedOnNodeTwoWithTheCallbackCodeServedOnNodeThree() throws Exception {
        drainUpstream();
        String cookie = signedInAcrossNodes("alice", "/notes/1");

        RawResponse onThree = client.navigate(port(3), "app.test", "/notes/1", cookie);
        assertThat(onThree.status()).isEqualTo(200);
        RecordedRequest received = site.upstream.takeRequest(Duration.ofSeconds(5));
        assertThat(received.requestLine()).isEqualTo("GET /notes/1 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("alice");
    }

    @Test
    @Order(2)
    void aCallbackCodeIsRedeemedOnceAcrossAllThreeNodes() throws Exception {
        ClusterClient.PasswordStep step = client.password(port(2), port(1), "alice", "/notes/2");
        String callback = client.onApp(step.answer().header("Location"));
        assertThat(client.navigate(port(3), "app.test", callback, step.hostState()).status()).isEqualTo(302);

        for (int node = 1; node <= 3; node++) {
            RawResponse again = client.navigate(port(node), "app.test", callback, step.hostState());
            assertThat(again.status()).as("replay on node " + node).isEqualTo(302);
            assertThat(again.header("Location")).startsWith(site.portal() + "/.portcullis/login");
            assertThat(ClusterClient.cookiePair(again, "__Host-portcullis")).isNull();
        }
    }

    @Test
    @Order(3)
    void theSameTotpCodeSentToAllThreeNodesAtOnceIsAcceptedOnce() throws Exception {
        TotpCredentials totp = factors(1).totp();
        TotpCredentials.Enrolment enrolment = totp.startEnrolment("bob", "Phone", TotpParameters.defaults());
        totp.activate("bob", enrolment.credential().id());
        int perNode = 2;
        List<Integer> postPorts = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3 * perNode; i++) {
            int node = 1 + i % 3;
            ClusterClient.PasswordStep step = client.password(port(node), port(node), "bob", "/records/4");
            assertThat(step.answer().header("Location")).isEqualTo("/.portcullis/second-factor");
            postPorts.add(port(node));
            sessions.add(step.portalCookie());
            tokens.add(client.csrf(port(node), "/.portcullis/second-factor", step.portalCookie()));
        }
        String code = TotpGenerator.codeAt(enrolment.secret(), TotpParameters.defaults(), Clock.systemUTC().instant());
        ExecutorService pool = Executors.newFixedThreadPool(3 * perNode);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RawResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 3 * perNode; i++) {
                int target = postPorts.get(i);
                String cookie = sessions.get(i);
                String token = tokens.get(i);
                answers.add(pool.submit(() -> {
                    go.await();
                    return client.postForm(target, "/.portcullis/second-factor", cookie,
                            "csrf=" + ClusterClient.encode(token) + "&code=" + code);
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<RawResponse> answer : answers) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).as("exactly one success across the three nodes: " + statuses)
                    .filteredOn(s -> s == 303).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 401 || s == 429).hasSize(3 * perNode - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void aSecurityKeyRegisteredByChromiumWhoseRequestsAlternateBetweenTheThreeNodes() throws Exception {
        InvitationCode invitation = factors(2).invitations().issue("carol", Duration.ofHours(1),
                Clock.systemUTC().instant());
        browser = Browser.start(site.certs);
        var authenticator = browser.driver().addVirtualAuthenticator(VirtualKeys.platformPasskey());
        // Every request on a connection of its own: the balancer gives each new connection to the next node, so the
        // browser's requests go round the three nodes instead of staying on one kept-alive connection.
        browser.driver().executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("Connection", "close")));
        int[] before = {balancer.connectionsTo(1), balancer.connectionsTo(2), balancer.connectionsTo(3)};

        browser.open(site.app() + "/notes/3");
        browser.fill(PortalMessages.USERNAME_LABEL, "carol").fill(PortalMessages.PASSWORD_LABEL, ClusterSite.PASSWORD)
                .submit();
        browser.awaitUrl((site.app() + "/notes/3")::equals, "back at the note");
        browser.open(site.portal() + "/.portcullis/security-key");
        assertThat(browser.pageText()).contains(WebAuthnMessages.INVITATION_EXPLAINED);
        browser.fill(SecondFactorMessages.INVITATION_LABEL, invitation.reveal())
                .submit(SecondFactorMessages.INVITATION_BUTTON);
        assertThat(browser.pageText()).contains(WebAuthnMessages.REGISTER_EXPLAINED);
        browser.fill(WebAuthnMessages.NAME_LABEL, "Green key");
        VirtualKeys.useKey(browser, WebAuthnMessages.REGISTER_BUTTON);

        assertThat(browser.pageText()).contains(SecondFactorMessages.RECOVERY_CODES_TITLE);
        assertThat(browser.driver().findElements(By.cssSelector(".recovery-codes li"))).hasSize(10);
        assertThat(authenticator.getCredentials()).hasSize(1);
        for (int node = 1; node <= 3; node++) {
            assertThat(factors(node).webauthn().keys("carol")).as("node " + node + " sees the key").singleElement()
                    .satisfies(k -> assertThat(k.record().name()).isEqualTo("Green key"));
        }

        // Each node's own access log: all three served requests of the ceremony, and the challenge was issued by
        // one node and answered on another.
        List<Integer> ceremonyNodes = new ArrayList<>();
        Map<String, List<Integer>> servedBy = new java.util.HashMap<>();
        for (int node = 1; node <= 3; node++) {
            List<String[]> lines = awaitAccessLines(node, "/.portcullis/webauthn/register");
            for (String[] line : lines) {
                servedBy.computeIfAbsent(line[0] + " " + line[1], k -> new ArrayList<>()).add(node);
            }
            if (!lines.isEmpty() || !awaitAccessLines(node, "/.portcullis/security-key").isEmpty()) {
                ceremonyNodes.add(node);
            }
        }
        List<Integer> options = servedBy.get("POST login.test/.portcullis/webauthn/register/options");
        List<Integer> finish = servedBy.get("POST login.test/.portcullis/webauthn/register");
        assertThat(options).as("the options: " + servedBy).hasSize(1);
        assertThat(finish).as("the answer: " + servedBy).hasSize(1);
        assertThat(finish.get(0)).as("challenge issued on one node, answered on another").isNotEqualTo(options.get(0));
        for (int node = 1; node <= 3; node++) {
            assertThat(balancer.connectionsTo(node) - before[node - 1]).as("connections to node " + node)
                    .isGreaterThanOrEqualTo(2);
        }
        assertThat(ceremonyNodes).as("nodes that served the ceremony's pages and calls").containsExactly(1, 2, 3);
    }

    /** The {method, target, status} of node {@code node}'s access log lines whose target contains {@code path}. */
    private List<String[]> accessLines(int node, String path) throws IOException {
        Path file = site.accessLog(node);
        List<String[]> found = new ArrayList<>();
        if (!Files.exists(file)) {
            return found;
        }
        for (String line : Files.readAllLines(file)) {
            Matcher m = ACCESS_LINE.matcher(line);
            if (m.find() && m.group(2).contains(path)) {
                found.add(new String[] {m.group(1), m.group(2), m.group(3)});
            }
        }
        return found;
    }

    /** The access log is written by its own thread at least once a second: waits up to 3 s for a line. */
    private List<String[]> awaitAccessLines(int node, String path) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        List<String[]> lines = accessLines(node, path);
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            lines = accessLines(node, path);
        }
        return lines;
    }

    @Test
    @Order(5)
    void anAdminRevocationOnNodeOneIsRefusedOnNodeThreeWithinOneSecond() throws Exception {
        String cookie = signedInAcrossNodes("dave", "/notes/5");
        assertThat(client.navigate(port(3), "app.test", "/notes/5", cookie).status()).isEqualTo(200);
        assertThat(client.navigate(port(3), "app.test", "/notes/5", cookie).status()).as("cached on node 3")
                .isEqualTo(200);
        drainUpstream();

        // What an admin's revocation does on node 1: delete the user's sessions in the shared store through node 1's
        // own store and announce it on node 1's fan-out, as every session change on a node is wired.
        GatewayServer one = nodes.get(0);
        int revoked = new InvalidatingSessionStore(new SqliteSessionStore(one.runtime().storage().orElseThrow()),
                one.signIn().orElseThrow().sessionInvalidations()).deleteByUser("dave");
        long revokedAt = System.nanoTime();
        assertThat(revoked).isEqualTo(2); // the portal session and the app.test session

        RawResponse answer;
        do {
            answer = client.navigate(port(3), "app.test", "/notes/5", cookie);
        } while (answer.status() == 200 && System.nanoTime() - revokedAt < Duration.ofSeconds(1).toNanos());
        assertThat(answer.status()).as("refused on node 3 within 1 s").isEqualTo(302);
        assertThat(answer.header("Location")).startsWith(site.portal() + "/.portcullis/login");
        for (int node = 1; node <= 3; node++) {
            assertThat(client.navigate(port(node), "app.test", "/notes/5", cookie).status()).isEqualTo(302);
        }
        drainUpstream(); // what was answered before the refusal
        assertThat(client.navigate(port(3), "app.test", "/notes/5", cookie).status()).isEqualTo(302);
        assertThat(site.upstream.takeRequest(Duration.ofMillis(200))).isNull();
    }

    @Test
    @Order(6)
    void aSignOutOnNodeOneIsRefusedOnNodeThreeWithinOneSecond() throws Exception {
        ClusterClient.PasswordStep step = client.password(port(1), port(1), "alice", "/notes/6");
        RawResponse redeemed = client.navigate(port(2), "app.test", client.onApp(step.answer().header("Location")),
                step.hostState());
        String cookie = ClusterClient.cookiePair(redeemed, "__Host-portcullis");
        assertThat(client.navigate(port(3), "app.test", "/notes/6", cookie).status()).isEqualTo(200);
        assertThat(client.navigate(port(3), "app.test", "/notes/6", cookie).status()).isEqualTo(200);

        String token = client.csrf(port(1), "/.portcullis/", step.portalCookie());
        RawResponse out = client.postForm(port(1), "/.portcullis/logout", step.portalCookie(),
                "csrf=" + ClusterClient.encode(token));
        long signedOutAt = System.nanoTime();
        assertThat(out.status()).isEqualTo(200);

        RawResponse answer;
        do {
            answer = client.navigate(port(3), "app.test", "/notes/6", cookie);
        } while (answer.status() == 200 && System.nanoTime() - signedOutAt < Duration.ofSeconds(1).toNanos());
        assertThat(answer.status()).as("refused on node 3 within 1 s").isEqualTo(302);
    }
}
