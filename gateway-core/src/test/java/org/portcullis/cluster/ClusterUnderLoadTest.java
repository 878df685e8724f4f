package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.extension.client.RegistrationExtensionClientOutput;
import com.webauthn4j.test.authenticator.webauthn.PackedAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.client.ClientPlatform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigLoader;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.factor.TotpCredentials;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RedisServer;
import org.portcullis.server.GatewayServer;
import org.portcullis.totp.TotpGenerator;
import org.portcullis.totp.TotpParameters;
import org.portcullis.totp.TotpSecret;

/**
 * Issue 18 §2, what a cluster is for: three gateway nodes, each its own JVM started as {@code portcullis run} starts
 * it, on one PostgreSQL database and one Redis, behind a round-robin TCP balancer, under a steady load of signed-in
 * requests ({@link SteadyLoad}). One node is killed with SIGKILL: nobody is signed out, no factor is lost, only the
 * connections that were on the dead node fail, and the node rejoins when started again. Then PostgreSQL and Redis go
 * away in turn: every node refuses (503), nothing reaches the upstream, a revoked session never passes, and service
 * returns by itself when they come back. The nodes are shared by the tests, which run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class ClusterUnderLoadTest {
    private static final List<String> LOAD_USERS = List.of("u1", "u2", "u3");
    private static final int KILLED = 2;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private PostgresServer postgres;
    private RedisServer redis;
    private ClusterSite site;
    private ClusterClient client;
    private RoundRobinBalancer balancer;
    private final List<Integer> ports = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private TotpSecret aliceTotp;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        RedisRequirement.require();
        postgres = PostgresServer.startFresh(); // its own: the tests stop it
        redis = RedisServer.start(dir.resolve("redis"));
        for (int i = 0; i < 3; i++) {
            ports.add(RoundRobinBalancer.freePort());
        }
        balancer = RoundRobinBalancer.start(ports);
        List<String> users = new ArrayList<>(LOAD_USERS);
        users.addAll(List.of("alice", "dave"));
        site = ClusterSite.create(dir, postgres, redis, balancer.port(), users, "1s");
        client = new ClusterClient(site);
        for (int node = 1; node <= 3; node++) {
            nodes.add(NodeProcess.launch(site.writeNodeConfig(node, ports.get(node - 1), ""), "node-" + node));
        }
        // What an admin does from outside the nodes (invitations, an enrolment) goes through a fourth node in this
        // JVM on the same database and Redis, outside the balancer, that only lives through the set-up.
        Path adminConfig = site.writeNodeConfig(0, RoundRobinBalancer.freePort(), "");
        try (GatewayServer admin = GatewayServer.start(new ConfigLoader().load(adminConfig).config(),
                Clock.systemUTC())) {
            for (NodeProcess node : nodes) {
                node.awaitRunning();
            }
            aliceTotp = enrolAlice(admin);
        }
        for (String user : LOAD_USERS) {
            cookies.put(user, signedIn(user, 1 + cookies.size() % 3));
        }
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : List.<AutoCloseable>of(() -> nodes.forEach(NodeProcess::close), () -> {
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
        }, () -> {
            if (postgres != null) {
                postgres.close();
            }
        })) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // best effort: the next one still runs
            }
        }
    }

    private int port(int node) {
        return ports.get(node - 1);
    }

    /** An authenticator app for alice, as a finished enrolment leaves it. */
    private TotpCredentials.Enrolment enrolAliceTotp(GatewayServer admin) {
        TotpCredentials totp = admin.signIn().orElseThrow().secondFactors().totp();
        TotpCredentials.Enrolment enrolment = totp.startEnrolment("alice", "Phone", TotpParameters.defaults());
        totp.activate("alice", enrolment.credential().id());
        return enrolment;
    }

    /**
     * alice's security key, registered through the portal with its requests on three nodes (invitation on node 1,
     * options on node 2, the key's answer on node 3), and an authenticator app; returns the app's secret.
     */
    private TotpSecret enrolAlice(GatewayServer admin) throws Exception {
        InvitationCode invitation = admin.signIn().orElseThrow().secondFactors().invitations()
                .issue("alice", Duration.ofHours(1), Clock.systemUTC().instant());
        String cookie = client.portalSignIn(port(1), "alice");
        String csrf = client.csrf(port(1), "/.portcullis/security-key", cookie);
        RawResponse redeemed = client.postForm(port(1), "/.portcullis/security-key", cookie, "csrf="
                + ClusterClient.encode(csrf) + "&step=invitation&invitation="
                + ClusterClient.encode(invitation.reveal()));
        assertThat(redeemed.status()).isEqualTo(200);
        RawResponse options = client.postJson(port(2), "/.portcullis/webauthn/register/options", cookie, csrf,
                "{\"name\":\"Blue key\"}");
        assertThat(options.status()).as(options.bodyText()).isEqualTo(200);
        String json = options.bodyText();
        PublicKeyCredentialCreationOptions creation = new ObjectConverter().getJsonConverter().readValue(
                json.substring("{\"publicKey\":".length(), json.length() - 1),
                PublicKeyCredentialCreationOptions.class);
        PublicKeyCredential<AuthenticatorAttestationResponse, RegistrationExtensionClientOutput> created =
                new ClientPlatform(new Origin(site.portal()),
                        new WebAuthnAuthenticatorAdaptor(new PackedAuthenticator())).create(creation);
        String finish = "{\"name\":\"Blue key\",\"rd\":\"\",\"credential\":{\"response\":{\"clientDataJSON\":\""
                + b64(created.getResponse().getClientDataJSON()) + "\",\"attestationObject\":\""
                + b64(created.getResponse().getAttestationObject()) + "\",\"transports\":[\"usb\"]}}}";
        RawResponse registered = client.postJson(port(3), "/.portcullis/webauthn/register", cookie, csrf, finish);
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
        assertThat(admin.signIn().orElseThrow().secondFactors().webauthn().keys("alice")).hasSize(1);
        return enrolAliceTotp(admin).secret();
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code user} signed in on node {@code node} (password and callback there); the app.test cookie. */
    private String signedIn(String user, int node) throws IOException {
        ClusterClient.PasswordStep step = client.password(port(node), port(node), user, "/notes/load");
        assertThat(step.answer().status()).as(step.answer().statusLine()).isEqualTo(303);
        RawResponse callback = client.navigate(port(node), "app.test", client.onApp(step.answer().header("Location")),
                step.hostState());
        assertThat(callback.status()).isEqualTo(302);
        return ClusterClient.cookiePair(callback, "__Host-portcullis");
    }

    private static Predicate<SteadyLoad.Outcome> answeredAsThemselves() {
        return o -> o.status() == 200 && o.user().equals(o.remoteUser());
    }

    private static Set<Integer> nodesOf(List<SteadyLoad.Outcome> outcomes) {
        return outcomes.stream().map(SteadyLoad.Outcome::node).collect(Collectors.toSet());
    }

    @Test
    @Order(1)
    void killNineOfOneNodeUnderLoadSignsNobodyOutAndOnlyItsOwnConnectionsFail() throws Exception {
        SteadyLoad.Outcome[] firstFailure = new SteadyLoad.Outcome[1];
        List<SteadyLoad.Outcome> all;
        long killedAt;
        long afterKill;
        try (SteadyLoad load = new SteadyLoad(site, balancer, cookies)) {
            long start = load.mark();
            assertThat(load.awaitEach(start, 6, answeredAsThemselves(), WAIT)).isTrue();
            assertThat(nodesOf(load.since(start))).as("the load reaches every node").contains(1, 2, 3);

            killedAt = load.mark();
            nodes.get(KILLED - 1).kill();
            afterKill = load.mark(); // every request after this one started with the node already gone

            assertThat(load.awaitEach(afterKill, 10, answeredAsThemselves(), WAIT))
                    .as("every user goes on through the remaining nodes").isTrue();
            all = load.since(start);
            firstFailure[0] = all.stream().filter(SteadyLoad.Outcome::failed).findFirst().orElse(null);
        }

        List<SteadyLoad.Outcome> failed = all.stream().filter(SteadyLoad.Outcome::failed).toList();
        List<SteadyLoad.Outcome> answered = all.stream().filter(o -> !o.failed()).toList();
        assertThat(answered).as("every answer is a 200 for the signed-in user: nobody signed out, nobody refused")
                .allMatch(answeredAsThemselves());
        assertThat(failed).as("only connections that were on the killed node fail: " + failed)
                .allMatch(o -> o.node() == KILLED);
        assertThat(failed).as("at most the one request in flight per user").hasSizeLessThanOrEqualTo(
                LOAD_USERS.size());
        assertThat(failed).as("and only around the kill").allMatch(o -> o.sequence() > killedAt - LOAD_USERS.size()
                && o.sequence() <= afterKill);
        List<SteadyLoad.Outcome> later = all.stream().filter(o -> o.sequence() > afterKill).toList();
        assertThat(nodesOf(later)).as("after the kill the balancer only reaches the others").containsOnly(1, 3);

        // No enrolled factor lost: alice signs in with her authenticator app on a remaining node, her key is listed.
        ClusterClient.PasswordStep step = client.password(port(3), port(1), "alice", "/records/1");
        assertThat(step.answer().header("Location")).isEqualTo("/.portcullis/second-factor");
        String token = client.csrf(port(3), "/.portcullis/second-factor", step.portalCookie());
        RawResponse coded = client.postForm(port(3), "/.portcullis/second-factor", step.portalCookie(), "csrf="
                + ClusterClient.encode(token) + "&code=" + TotpGenerator.codeAt(aliceTotp, TotpParameters.defaults(),
                Clock.systemUTC().instant()));
        assertThat(coded.status()).as("the TOTP code on node 3").isEqualTo(303);
        String portalCookie = ClusterClient.cookiePair(coded, "__Host-portcullis");
        RawResponse callback = client.navigate(port(1), "app.test", client.onApp(coded.header("Location")),
                step.hostState());
        String appCookie = ClusterClient.cookiePair(callback, "__Host-portcullis");
        RawResponse records = client.navigate(port(3), "app.test", "/records/1", appCookie);
        assertThat(records.status()).isEqualTo(200);
        assertThat(records.bodyText()).containsIgnoringCase("[\"remote-user\",\"alice\"]");
        assertThat(client.navigate(port(1), "login.test", "/.portcullis/", portalCookie).bodyText())
                .as("the security key is still listed").contains("Blue key");
    }

    @Test
    @Order(2)
    void theKilledNodeStartedAgainRejoinsAndServesTheSameSessions() throws Exception {
        NodeProcess restarted = nodes.get(KILLED - 1);
        restarted.launch();
        restarted.awaitRunning();

        for (Map.Entry<String, String> user : cookies.entrySet()) {
            RawResponse answer = client.navigate(port(KILLED), "app.test", "/notes/load", user.getValue());
            assertThat(answer.status()).as(user.getKey() + " on the restarted node").isEqualTo(200);
            assertThat(answer.bodyText()).containsIgnoringCase("[\"remote-user\",\"" + user.getKey() + "\"]");
        }
        try (SteadyLoad load = new SteadyLoad(site, balancer, cookies)) {
            long start = load.mark();
            assertThat(load.awaitEach(start, 6, answeredAsThemselves(), WAIT)).isTrue();
            assertThat(load.since(start)).allMatch(answeredAsThemselves());
            assertThat(nodesOf(load.since(start))).contains(1, 2, 3);
        }
    }

    @Test
    @Order(3)
    void postgresqlGoneUnderLoadIsRefusedNeverPassedAndServiceReturnsWithoutARestart() throws Exception {
        outageUnderLoad(postgres::stop, postgres::start);
    }

    @Test
    @Order(4)
    void redisGoneUnderLoadIsRefusedNeverPassedAndServiceReturnsWithoutARestart() throws Exception {
        outageUnderLoad(redis::stop, redis::start);
    }

    /**
     * Under the steady load, plus a client that keeps sending a session that was signed out before ({@code dave}):
     * {@code stop} takes a shared part away; every node ends up refusing every signed-in request with 503 (within the
     * documented budget), and from then on nothing at all reaches the upstream; the signed-out session is never
     * answered 200 at any moment; {@code start} brings the part back and every node serves again, as the same users,
     * without a restart.
     */
    private void outageUnderLoad(Runnable stop, Runnable start) throws Exception {
        Map<String, String> withRevoked = new LinkedHashMap<>(cookies);
        withRevoked.put("dave", signedOutSession());
        Predicate<SteadyLoad.Outcome> normal = o -> o.user().equals("dave") ? o.status() == 302
                : answeredAsThemselves().test(o);
        try (SteadyLoad load = new SteadyLoad(site, balancer, withRevoked)) {
            long before = load.mark();
            assertThat(load.awaitEach(before, 3, normal, WAIT)).isTrue();

            long down = load.mark();
            stop.run();
            try {
                for (int node = 1; node <= 3; node++) {
                    awaitStatus(node, cookies.get("u1"), 503);
                }
                // Every node refuses now; each user's thread is sequential, so once each has had an answer to a
                // request sent after this mark, nothing sent before it is still in flight.
                long refusing = load.mark();
                assertThat(load.awaitEach(refusing, 1, o -> true, WAIT)).isTrue();
                drainUpstream();
                assertThat(load.awaitEach(refusing, 4, o -> true, WAIT)).isTrue();
                List<SteadyLoad.Outcome> during = load.since(refusing);
                assertThat(during).as("refused, never passed, never signed out, never cut: " + during)
                        .allMatch(o -> o.status() == 503);
                assertThat(site.upstream.takeRequest(Duration.ofMillis(100))).as("nothing reached the upstream")
                        .isNull();
                assertThat(load.since(down)).filteredOn(o -> o.user().equals("dave"))
                        .as("the signed-out session never passes").noneMatch(o -> o.status() == 200);
            } finally {
                start.run();
            }

            long up = load.mark();
            assertThat(load.awaitEach(up, 3, normal, WAIT)).as("service returns without a restart").isTrue();
            assertThat(awaitNodes(load, up, normal)).as("on every node").contains(1, 2, 3);
            assertThat(load.since(down)).filteredOn(o -> o.user().equals("dave")).noneMatch(o -> o.status() == 200);
        }
        assertThat(nodes).as("no node restarted or died").allMatch(NodeProcess::alive);
    }

    /** dave signed in on node 2 and signed out on node 1; returns his app.test cookie, refused everywhere now. */
    private String signedOutSession() throws Exception {
        ClusterClient.PasswordStep step = client.password(port(2), port(2), "dave", "/notes/load");
        RawResponse callback = client.navigate(port(2), "app.test", client.onApp(step.answer().header("Location")),
                step.hostState());
        String cookie = ClusterClient.cookiePair(callback, "__Host-portcullis");
        assertThat(client.navigate(port(3), "app.test", "/notes/load", cookie).status()).isEqualTo(200);
        String token = client.csrf(port(1), "/.portcullis/", step.portalCookie());
        assertThat(client.postForm(port(1), "/.portcullis/logout", step.portalCookie(),
                "csrf=" + ClusterClient.encode(token)).status()).isEqualTo(200);
        for (int node = 1; node <= 3; node++) {
            awaitStatus(node, cookie, 302);
        }
        return cookie;
    }

    /** Polls node {@code node} with {@code cookie} until it answers {@code status}; only 200, 302 or 503 meanwhile. */
    private void awaitStatus(int node, String cookie, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        RawResponse last = null;
        while (System.nanoTime() < deadline) {
            last = client.navigate(port(node), "app.test", "/notes/load", cookie);
            if (last.status() == status) {
                return;
            }
            assertThat(last.status()).isIn(200, 302, 503);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        throw new AssertionError("node " + node + " did not answer " + status + " within " + WAIT + "; last "
                + (last == null ? "none" : last.statusLine()));
    }

    /** The nodes that gave {@code matching} answers after {@code mark}, once all three have (at most {@link #WAIT}). */
    private static Set<Integer> awaitNodes(SteadyLoad load, long mark, Predicate<SteadyLoad.Outcome> matching) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Set<Integer> seen = Set.of();
        while (System.nanoTime() < deadline) {
            seen = nodesOf(load.since(mark).stream().filter(matching).toList());
            if (seen.containsAll(List.of(1, 2, 3))) {
                return seen;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return seen;
    }

    private void drainUpstream() {
        while (site.upstream.takeRequest(Duration.ofMillis(1)) != null) {
            // dropped
        }
    }
}
