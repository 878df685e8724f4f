package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cluster.RedisRequirement;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RedisServer;
import org.portcullis.tcp.ConnectGrants;

/**
 * Remote-access tokens in a cluster (issue 18): two gateway nodes started as {@code run} starts them, sharing one
 * PostgreSQL store (sessions, factors) and one real Redis ({@code cache.redis}), and nothing else. A remote-desktop
 * token and a {@code portcullis connect} code that node 1 issued are redeemed through node 2 exactly once and refused
 * the second time on either node; the connect token they yield is not single use and opens tunnels on both nodes;
 * with Redis gone every node refuses, even the one that issued the token, and the targets see no connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ClusterRemoteAccessTest {
    static final String KEY = "6f".repeat(32);
    static final long ACCESS_DENIED = 0x800759F8L;
    static final long INTERNAL_ERROR = 0x800759D8L;
    static final String REDIRECT = "http://127.0.0.1:9/callback";

    final MutableClock clock = new MutableClock(Instant.now());
    RedisServer redis;
    RecordingTarget desktop;
    TcpEchoTarget echo;
    SignInGateway node1;
    SignInGateway node2;
    TotpFlow flow1;
    String aliceSecret;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        RedisRequirement.require();
        PostgresServer postgres = PostgresServer.shared();
        redis = RedisServer.start(dir.resolve("redis"));
        desktop = new RecordingTarget();
        echo = new TcpEchoTarget();
        String storage = """
                  backend: postgresql
                  postgresql:
                    url: %s
                    user: %s
                    password: "%s"
                    ssl_mode: disable
                    pool_size: 4
                    connect_timeout: 2s
                    query_timeout: 2s
                """.formatted(postgres.url(postgres.newDatabase()), PostgresServer.USER, PostgresServer.PASSWORD);
        String extra = """
                cache:
                  redis:
                    url: %s
                    staleness_budget: 1s
                    command_timeout: 2s
                remote_desktops:
                  - name: ward-pc
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                tcp_targets:
                  - name: echo
                    address: 127.0.0.1:%d
                    groups: [staff]
                """.formatted(redis.url(), desktop.port(), echo.port());
        node1 = SignInGateway.startNode(dir.resolve("node1"), clock, TotpFlow.POLICY, KEY, storage, extra);
        node2 = SignInGateway.startNode(dir.resolve("node2"), clock, TotpFlow.POLICY, KEY, storage, extra);
        flow1 = new TotpFlow(node1, clock);
        aliceSecret = flow1.enrol("alice");
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {node1, node2, desktop, echo, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    @Order(1)
    void aDesktopTokenFromNodeOneOpensTheDesktopThroughNodeTwoOnceAndIsRefusedAgainOnEitherNode() throws Exception {
        String token = desktopToken(ConnectBrowser.twoFactorCookie(flow1, "alice", SignInGateway.PASSWORD,
                aliceSecret));
        int connections = desktop.connections();
        int from1 = node1.auditLines().size();
        int from2 = node2.auditLines().size();

        try (RdgRawClient client = RdgRawClient.open(node2)) {
            byte[] channel = RemoteDesktopGatewayTest.openChannel(client, token, "127.0.0.1", desktop.port());
            assertThat(RdgRawClient.type(channel)).isEqualTo(9);
            assertThat(RdgRawClient.u32(channel, 8)).as("channel opened through node 2").isZero();
        }
        node2.awaitAuditLine(from2, "\"event.action\":\"remote.open\"", "\"user.name\":\"alice\"");
        assertThat(desktop.connections()).isEqualTo(connections + 1);

        // The same token again, on the node that issued it and on the one that redeemed it: spent everywhere.
        for (SignInGateway node : List.of(node1, node2)) {
            try (RdgRawClient again = RdgRawClient.open(node)) {
                byte[] refused = RemoteDesktopGatewayTest.openChannel(again, token, "127.0.0.1", desktop.port());
                assertThat(RdgRawClient.u32(refused, 10)).isEqualTo(ACCESS_DENIED);
            }
        }
        node1.awaitAuditLine(from1, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"reused_token\"");
        node2.awaitAuditLine(from2, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"reused_token\"");
        assertThat(desktop.connections()).as("only the first use connected").isEqualTo(connections + 1);
    }

    @Test
    @Order(2)
    void aConnectCodeFromNodeOneIsExchangedOnNodeTwoOnceAndItsTokenOpensTunnelsOnBothNodes() throws Exception {
        String cookie = ConnectBrowser.twoFactorCookie(flow1, "alice", SignInGateway.PASSWORD, aliceSecret);
        String verifier = random() + "xyz";
        String code = connectCode(cookie, verifier);

        RawResponse exchanged = exchange(node2, code, verifier);
        assertThat(exchanged.status()).as(exchanged.bodyText()).isEqualTo(200);
        String token = exchanged.bodyText().replaceFirst(".*\"access_token\":\"([^\"]+)\".*", "$1");

        for (SignInGateway node : List.of(node1, node2)) {
            RawResponse again = exchange(node, code, verifier);
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.bodyText()).isEqualTo("{\"error\":\"invalid_grant\"}");
        }

        // A connect token is not single use: every tunnel of the session presents it, on whichever node.
        int accepted = echo.accepted();
        for (SignInGateway node : List.of(node2, node1, node2)) {
            assertThat(upgrade(node, token).status()).isEqualTo(101);
        }
        // The target's accept thread counts a connection a moment after the gateway answered 101 (seen under load).
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
        while (echo.accepted() < accepted + 3 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(10).toNanos());
        }
        assertThat(echo.accepted()).isEqualTo(accepted + 3);
    }

    @Test
    @Order(3) // last: stops Redis
    void withRedisGoneEveryNodeRefusesTokensAndCodesEvenTheNodeThatIssuedThem() throws Exception {
        String cookie = ConnectBrowser.twoFactorCookie(flow1, "alice", SignInGateway.PASSWORD, aliceSecret);
        String desktopToken = desktopToken(cookie);
        String verifier = random() + "xyz";
        String code = connectCode(cookie, verifier);
        String otherVerifier = random() + "xyz";
        RawResponse exchanged = exchange(node1, connectCode(cookie, otherVerifier), otherVerifier);
        String connectToken = exchanged.bodyText().replaceFirst(".*\"access_token\":\"([^\"]+)\".*", "$1");
        int desktopConnections = desktop.connections();
        int echoConnections = echo.accepted();
        int from1 = node1.auditLines().size();

        redis.stop();
        try {
            try (RdgRawClient client = RdgRawClient.open(node1)) {
                byte[] refused = RemoteDesktopGatewayTest.openChannel(client, desktopToken, "127.0.0.1",
                        desktop.port());
                assertThat(RdgRawClient.u32(refused, 10)).isEqualTo(INTERNAL_ERROR);
            }
            node1.awaitAuditLine(from1, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"store_failed\"");
            assertThat(exchange(node1, code, verifier).status()).isEqualTo(500);
            RawResponse tunnel = upgrade(node1, connectToken);
            assertThat(tunnel.status()).isEqualTo(503);
            assertThat(tunnel.bodyText()).contains("connect_store_unavailable");
            assertThat(desktop.connections()).isEqualTo(desktopConnections);
            assertThat(echo.accepted()).isEqualTo(echoConnections);
        } finally {
            redis.start();
        }
    }

    /** "Open" on node 1's desktops page: the token in the .rdp file. */
    String desktopToken(String cookie) throws IOException {
        String csrf = flow1.token("/.portcullis/desktops", cookie);
        RawResponse file = flow1.post("/.portcullis/desktops", cookie, csrf, "desktop=ward-pc");
        assertThat(file.status()).as(file.bodyText()).isEqualTo(200);
        Matcher token = RemoteDesktopGatewayTest.TOKEN.matcher(file.bodyText());
        assertThat(token.find()).isTrue();
        return token.group(1);
    }

    /** Node 1's authorize address for {@code cookie}'s session: the code it sends to the loopback redirect. */
    String connectCode(String cookie, String verifier) throws IOException {
        RawResponse answer = node1.navigate("login.test", ConnectTunnelTest.authorize("echo", REDIRECT,
                ConnectGrants.challengeOf(verifier)), cookie);
        assertThat(answer.status()).as(answer.bodyText()).isEqualTo(302);
        return answer.header("Location").replaceFirst(".*[?&]code=([A-Za-z0-9_-]+).*", "$1");
    }

    static RawResponse exchange(SignInGateway node, String code, String verifier) throws IOException {
        return node.send("POST", "login.test", "/.portcullis/connect/token", "", "grant_type=authorization_code"
                + "&code=" + code + "&code_verifier=" + verifier + "&redirect_uri=" + SignInGateway.encode(REDIRECT));
    }

    static RawResponse upgrade(SignInGateway node, String token) throws IOException {
        try (RawHttpClient raw = RawHttpClient.connectTls(node.port, node.certs, "login.test", null)) {
            raw.send("GET /.portcullis/connect/tunnel/echo HTTP/1.1\r\nHost: login.test:" + node.port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n\r\n");
            return raw.readResponse(ConnectTunnelTest.WAIT);
        }
    }

    static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
