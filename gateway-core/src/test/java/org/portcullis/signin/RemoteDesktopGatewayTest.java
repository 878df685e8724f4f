package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.signin.RdgRawClient.channelCreate;
import static org.portcullis.signin.RdgRawClient.data;
import static org.portcullis.signin.RdgRawClient.handshake;
import static org.portcullis.signin.RdgRawClient.packet;
import static org.portcullis.signin.RdgRawClient.tunnelAuth;
import static org.portcullis.signin.RdgRawClient.tunnelCreate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;

/**
 * The RD Gateway endpoint (issue 16) through the running gateway as {@code run} wires it, with a raw MS-TSGU client
 * over the HTTP transport (independent of the gateway's codec) and a recording TCP target: what reaches the target,
 * what the audit trail says, every refusal, and the stream following its session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteDesktopGatewayTest {
    static final Pattern TOKEN = Pattern.compile("gatewayaccesstoken:s:([A-Za-z0-9_-]+)");

    @TempDir
    static Path dir;

    MutableClock clock;
    SignInGateway gateway;
    TotpFlow flow;
    RecordingTarget target;
    String secret;

    @BeforeAll
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        target = new RecordingTarget();
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, """
                remote_desktops:
                  - name: ward-pc
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                    max_duration: 2h
                  - name: server-room
                    address: 127.0.0.1:%d
                    subjects: [user:bob]
                  - name: consent-pc
                    address: 127.0.0.1:%d
                    groups: [clinicians]
                    consent: Patient care only.
                """.formatted(target.port(), target.port(), target.port()));
        flow = new TotpFlow(gateway, clock);
        secret = flow.enrol("alice");
    }

    @AfterAll
    void stop() throws Exception {
        if (System.getenv("RDG_DEBUG") != null) {
            gateway.auditLines().stream().filter(l -> l.contains("remote.")).forEach(System.out::println);
        }
        gateway.close();
        target.close();
    }

    @BeforeEach
    void fresh() {
        flow.unlock("alice");
    }

    /** alice signed in with password and TOTP: her session cookie. */
    String signedIn() throws Exception {
        clock.advance(Duration.ofSeconds(31)); // a fresh TOTP step for every sign-in
        String cookie = flow.password("alice", SignInGateway.PASSWORD, "");
        RawResponse done = flow.submitCode(cookie, flow.code(secret));
        String rotated = SignInGateway.cookiePair(done, "__Host-portcullis");
        return rotated == null ? cookie : rotated;
    }

    /** "Open" on the desktops page: the .rdp file's text. */
    RawResponse open(String cookie, String desktop) throws Exception {
        String csrf = flow.token("/.portcullis/desktops", cookie);
        return flow.post("/.portcullis/desktops", cookie, csrf, "desktop=" + desktop);
    }

    String token(String cookie) throws Exception {
        return token(cookie, "ward-pc");
    }

    String token(String cookie, String desktop) throws Exception {
        RawResponse file = open(cookie, desktop);
        assertThat(file.status()).isEqualTo(200);
        Matcher m = TOKEN.matcher(file.bodyText());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Handshake, tunnel with {@code token}, auth, channel to {@code host:port}; returns the channel response. */
    static byte[] openChannel(RdgRawClient client, String token, String host, int port) throws Exception {
        client.send(handshake(2));
        assertThat(RdgRawClient.u32(client.nextPacket(), 8)).isZero();
        client.send(tunnelCreate(token));
        byte[] tunnel = client.nextPacket();
        assertThat(RdgRawClient.type(tunnel)).isEqualTo(5);
        if (RdgRawClient.u32(tunnel, 10) != 0) {
            return tunnel;
        }
        client.send(tunnelAuth("clinic-pc"));
        assertThat(RdgRawClient.u32(client.nextPacket(), 8)).isZero();
        client.send(channelCreate(host, port));
        return client.nextPacket();
    }

    List<String> awaitAudit(int from, String... parts) throws Exception {
        return gateway.awaitAuditLine(from, parts);
    }

    @Test
    void thePortalListsOnlyTheDesktopsTheUserMayOpenAndTheFileCarriesTheGatewaySettings() throws Exception {
        String cookie = signedIn();
        RawResponse page = gateway.navigate("login.test", "/.portcullis/desktops", cookie);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.bodyText()).contains("ward-pc").doesNotContain("server-room");
        RawResponse file = open(cookie, "ward-pc");
        assertThat(file.header("Content-Type")).isEqualTo("application/x-rdp");
        assertThat(file.header("Content-Disposition")).isEqualTo("attachment; filename=\"ward-pc.rdp\"");
        assertThat(file.bodyText()).contains("full address:s:127.0.0.1:" + target.port(),
                "gatewayhostname:s:login.test:" + gateway.port, "gatewayusagemethod:i:1",
                "gatewaycredentialssource:i:5", "gatewayaccesstoken:s:");
        assertThat(open(cookie, "server-room").status()).as("not alice's desktop").isEqualTo(403);
    }

    @Test
    void theExactBytesArriveBothWaysAndTheAuditCountsThem() throws Exception {
        String cookie = signedIn();
        String token = token(cookie);
        int before = gateway.auditLines().size();
        int connections = target.connections();
        byte[] sent = target.received();
        target.answerWith("hello from the desktop".getBytes(StandardCharsets.US_ASCII));
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            byte[] channel = openChannel(client, token, "127.0.0.1", target.port());
            assertThat(RdgRawClient.type(channel)).isEqualTo(9);
            assertThat(RdgRawClient.u32(channel, 8)).isZero();
            byte[] rdp = {3, 0, 0, 19, 14, (byte) 0xE0, 0, 0, 0, 0, 0, 1, 0, 8, 0, 3, 0, 0, 0};
            client.send(data(rdp));
            client.send(data("second".getBytes(StandardCharsets.US_ASCII)));
            byte[] answer = client.nextPacket();
            assertThat(RdgRawClient.type(answer)).isEqualTo(0xA);
            assertThat(new String(answer, 10, answer.length - 10, StandardCharsets.US_ASCII))
                    .isEqualTo("hello from the desktop");
            byte[] all = target.awaitBytes(sent.length + rdp.length + 6, RdgRawClient.WAIT);
            byte[] arrived = java.util.Arrays.copyOfRange(all, sent.length, all.length);
            assertThat(arrived).isEqualTo(concat(rdp, "second".getBytes(StandardCharsets.US_ASCII)));
            assertThat(target.connections()).isEqualTo(connections + 1);
            awaitAudit(before, "\"event.action\":\"remote.open\"", "\"user.name\":\"alice\"",
                    "\"network.protocol\":\"rdp\"", "\"route\":\"ward-pc\"", "\"destination.address\":\"127.0.0.1:");
            client.send(packet(0x10, new byte[4]));
            List<String> closed = awaitAudit(before, "\"event.action\":\"remote.close\"", "\"source.bytes\":25",
                    "\"destination.bytes\":22");
            assertThat(String.join("\n", closed)).doesNotContain(token);
        } finally {
            target.answerWith(new byte[0]);
        }
    }

    @Test
    void aTokenWorksOnceAndMadeUpExpiredAndMissingTokensOpenNothing() throws Exception {
        String cookie = signedIn();
        String token = token(cookie);
        int connections = target.connections();
        int before = gateway.auditLines().size();
        try (RdgRawClient first = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(first, token, "127.0.0.1", target.port()), 8)).isZero();
        }
        try (RdgRawClient again = RdgRawClient.open(gateway)) {
            byte[] refused = openChannel(again, token, "127.0.0.1", target.port());
            assertThat(RdgRawClient.u32(refused, 10)).isEqualTo(0x800759F8L);
            assertThat(again.out.isClosedByPeer(RdgRawClient.WAIT)).isTrue();
        }
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"reused_token\"");
        try (RdgRawClient madeUp = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(madeUp, "x".repeat(43), "127.0.0.1", target.port()), 10))
                    .isEqualTo(0x800759F8L);
        }
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"unknown_token\"");
        String late = token(cookie);
        clock.advance(Duration.ofMinutes(5));
        try (RdgRawClient expired = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(expired, late, "127.0.0.1", target.port()), 10))
                    .isEqualTo(0x800759F8L);
        }
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"expired_token\"");
        try (RdgRawClient none = RdgRawClient.open(gateway)) {
            none.send(handshake(0));
            byte[] answer = none.nextPacket();
            assertThat(RdgRawClient.u32(answer, 8)).isEqualTo(0x800759F9L);
        }
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"no_token\"");
        try (RdgRawClient noCookie = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(noCookie, null, "127.0.0.1", target.port()), 10))
                    .isEqualTo(0x800759F8L);
        }
        assertThat(target.connections()).as("only the first token connected").isEqualTo(connections + 1);
    }

    @Test
    void theClientCannotChooseTheTarget() throws Exception {
        String cookie = signedIn();
        int connections = target.connections();
        int before = gateway.auditLines().size();
        for (String[] asked : new String[][] {{"127.0.0.1", "3389"}, {"10.0.0.9", String.valueOf(target.port())},
                {"localhost", String.valueOf(target.port())}}) {
            String token = token(cookie);
            try (RdgRawClient client = RdgRawClient.open(gateway)) {
                byte[] channel = openChannel(client, token, asked[0], Integer.parseInt(asked[1]));
                assertThat(RdgRawClient.type(channel)).isEqualTo(9);
                assertThat(RdgRawClient.u32(channel, 8)).isEqualTo(0x800759DAL);
                assertThat(client.out.isClosedByPeer(RdgRawClient.WAIT)).isTrue();
            }
        }
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"target_mismatch\"");
        assertThat(target.connections()).isEqualTo(connections);
    }

    @Test
    void aSessionThatSignedOutBeforeTheTokenWasUsedOpensNothing() throws Exception {
        String cookie = signedIn();
        String token = token(cookie);
        String csrf = flow.token("/.portcullis/", cookie);
        assertThat(flow.post("/.portcullis/logout", cookie, csrf, "").status()).isEqualTo(200);
        int before = gateway.auditLines().size();
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(client, token, "127.0.0.1", target.port()), 10))
                    .isEqualTo(0x800759F8L);
        }
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"session_gone\"");
    }

    @Test
    void revokingTheSessionCutsAnOpenDesktopWithinASecond() throws Exception {
        String cookie = signedIn();
        String token = token(cookie);
        int before = gateway.auditLines().size();
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(client, token, "127.0.0.1", target.port()), 8)).isZero();
            int exit = PortcullisMain.commandLine().execute("sessions", "revoke", "--user", "alice",
                    "--data-dir", gateway.dataDir.toString());
            long revoked = System.nanoTime();
            assertThat(exit).isZero();
            assertThat(client.out.isClosedByPeer(Duration.ofSeconds(2))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(1));
        }
        awaitAudit(before, "\"event.action\":\"remote.close\"", "\"event.reason\":\"revoked\"");
    }

    @Test
    void signingOutCutsAnOpenDesktop() throws Exception {
        String cookie = signedIn();
        String token = token(cookie);
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(client, token, "127.0.0.1", target.port()), 8)).isZero();
            String csrf = flow.token("/.portcullis/", cookie);
            long before = System.nanoTime();
            assertThat(flow.post("/.portcullis/logout", cookie, csrf, "").status()).isEqualTo(200);
            assertThat(client.out.isClosedByPeer(Duration.ofSeconds(2))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void maxDurationEndsTheDesktopOnTheGatewaysClock() throws Exception {
        String cookie = signedIn();
        String token = token(cookie);
        int before = gateway.auditLines().size();
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(client, token, "127.0.0.1", target.port()), 8)).isZero();
            // keep the session itself alive: its idle timeout is 30 minutes, the desktop's cap 2 hours
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofMinutes(19));
                int had = target.received().length;
                client.send(data(new byte[] {1}));
                target.awaitBytes(had + 1, RdgRawClient.WAIT);
                gateway.server.runtime().tunnels().orElseThrow().checkNow().join();
            }
            assertThat(client.out.isClosedByPeer(Duration.ofMillis(300))).as("still open at 1h54").isFalse();
            clock.advance(Duration.ofMinutes(7));
            long moved = System.nanoTime();
            assertThat(client.out.isClosedByPeer(Duration.ofSeconds(2))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - moved)).isLessThan(Duration.ofSeconds(1));
        }
        awaitAudit(before, "\"event.action\":\"remote.close\"", "\"event.reason\":\"max_duration\"");
    }

    @Test
    void brokenFramingClosesBeforeAnythingIsForwarded() throws Exception {
        String cookie = signedIn();
        byte[][] broken = {
            packet(4, new byte[8]), // wrong order: tunnel before handshake
            packet(0x99, new byte[0]), // unknown type
            packet(1, 0xFFFFFFF0L, new byte[0]), // huge declared length
            packet(1, 5000, new byte[0]), // oversized control packet
            packet(1, new byte[] {1, 0}), // truncated: shorter than its fields
        };
        int connections = target.connections();
        int before = gateway.auditLines().size();
        for (byte[] bad : broken) {
            try (RdgRawClient client = RdgRawClient.open(gateway)) {
                client.send(bad);
                assertThat(client.out.isClosedByPeer(RdgRawClient.WAIT)).isTrue();
            }
        }
        // a good token, then data before the channel: wrong order, nothing forwarded
        String token = token(cookie);
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            client.send(handshake(2));
            client.nextPacket();
            client.send(tunnelCreate(token));
            client.nextPacket();
            client.send(data(new byte[] {3, 0, 0, 7, 1, 2, 3}));
            assertThat(client.out.isClosedByPeer(RdgRawClient.WAIT)).isTrue();
        }
        // a chunk size no packet needs
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            client.sendRaw("FFFFFF\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.out.isClosedByPeer(RdgRawClient.WAIT)).isTrue();
        }
        assertThat(target.connections()).isEqualTo(connections);
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"protocol_wrong_order\"");
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"protocol_unknown_type\"");
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"protocol_oversized\"");
        awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"protocol_truncated\"");
    }

    /** Every other host and path × both RDG methods × with and without an upgrade: never the RDG endpoint. */
    @Test
    void rdgMethodsAreTheEndpointOnlyOnItsPathOfThePortalHost() throws Exception {
        String[][] elsewhere = {{"app.test", "/remoteDesktopGateway/"}, {"other.test", "/remoteDesktopGateway/"},
            {"app.test", "/"}, {"login.test", "/remoteDesktopGateway"}, {"login.test", "/remoteDesktopGateway/x"},
            {"login.test", "/remoteDesktopGateway/?a=b"}, {"login.test", "/.portcullis/"}, {"login.test", "/"}};
        for (String method : new String[] {"RDG_OUT_DATA", "RDG_IN_DATA"}) {
            for (String[] at : elsewhere) {
                RawResponse plain = gateway.send(method, at[0], at[1], "RDG-Connection-Id: {x}\r\n", null);
                assertThat(plain.header("Content-Type")).as(method + " " + at[0] + at[1])
                        .isNotEqualTo("application/octet-stream");
                assertThat(plain.status()).as(method + " " + at[0] + at[1]).isNotIn(101);
                RawResponse upgrade = gateway.send(method, at[0], at[1], "RDG-Connection-Id: {x}\r\nConnection: Upgrade"
                        + "\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                        + "dGhlIHNhbXBsZSBub25jZQ==\r\n", null);
                assertThat(upgrade.status()).as("upgrade " + method + " " + at[0] + at[1]).isEqualTo(400);
            }
        }
        // and the endpoint itself refuses a body on an RDG request
        RawResponse withBody = gateway.send("RDG_OUT_DATA", "login.test", "/remoteDesktopGateway/",
                "RDG-Connection-Id: {x}\r\n", "x=1");
        assertThat(withBody.status()).isEqualTo(400);
    }

    @Test
    void aConsentTextIsSentWithTheTunnelResponse() throws Exception {
        String token = token(signedIn(), "consent-pc");
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            client.send(handshake(2));
            client.nextPacket();
            client.send(tunnelCreate(token));
            byte[] tunnel = client.nextPacket();
            assertThat(RdgRawClient.u32(tunnel, 10)).isZero();
            int fields = (tunnel[14] & 0xFF) | (tunnel[15] & 0xFF) << 8;
            assertThat(fields & 0x10).as("consent message present").isEqualTo(0x10);
            long caps = RdgRawClient.u32(tunnel, 22);
            assertThat(caps & 0x4).as("consent capability").isEqualTo(0x4);
            int length = (tunnel[26] & 0xFF) | (tunnel[27] & 0xFF) << 8;
            assertThat(new String(tunnel, 28, length, StandardCharsets.UTF_16LE)).isEqualTo("Patient care only.\0");
        }
    }

    @Test
    void aReloadThatTakesTheDesktopAwayRefusesATokenIssuedBefore() throws Exception {
        Path config = dir.resolve("portcullis.yaml");
        String original = java.nio.file.Files.readString(config);
        org.portcullis.server.ConfigReloader reloader = new org.portcullis.server.ConfigReloader(config,
                gateway.server);
        String token = token(signedIn());
        int connections = target.connections();
        int before = gateway.auditLines().size();
        try {
            java.nio.file.Files.writeString(config, original.replace("groups: [clinicians]\n                    max_duration",
                    "groups: [nobody]\n                    max_duration").replace("groups: [clinicians]\n    max_duration",
                    "groups: [nobody]\n    max_duration"));
            assertThat(java.nio.file.Files.readString(config)).isNotEqualTo(original);
            assertThat(reloader.reload()).isEqualTo(org.portcullis.server.ConfigReloader.Outcome.APPLIED);
            try (RdgRawClient client = RdgRawClient.open(gateway)) {
                assertThat(RdgRawClient.u32(openChannel(client, token, "127.0.0.1", target.port()), 10))
                        .isEqualTo(0x800759F8L);
            }
            awaitAudit(before, "\"event.action\":\"remote.refused\"", "\"event.reason\":\"policy_changed\"");
            assertThat(target.connections()).isEqualTo(connections);
        } finally {
            java.nio.file.Files.writeString(config, original);
            assertThat(reloader.reload()).isEqualTo(org.portcullis.server.ConfigReloader.Outcome.APPLIED);
        }
    }

    @Test
    void aReloadThatTakesTheUsersGroupAwayCutsAnOpenDesktopWithinASecond() throws Exception {
        Path config = dir.resolve("portcullis.yaml");
        String original = java.nio.file.Files.readString(config);
        org.portcullis.server.ConfigReloader reloader = new org.portcullis.server.ConfigReloader(config,
                gateway.server);
        String token = token(signedIn());
        int before = gateway.auditLines().size();
        try (RdgRawClient client = RdgRawClient.open(gateway)) {
            assertThat(RdgRawClient.u32(openChannel(client, token, "127.0.0.1", target.port()), 8)).isZero();
            java.nio.file.Files.writeString(config, original.replace("groups: [clinicians]\n                    max_duration",
                    "groups: [nobody]\n                    max_duration").replace("groups: [clinicians]\n    max_duration",
                    "groups: [nobody]\n    max_duration"));
            assertThat(reloader.reload()).isEqualTo(org.portcullis.server.ConfigReloader.Outcome.APPLIED);
            long reloaded = System.nanoTime();
            assertThat(client.out.isClosedByPeer(Duration.ofSeconds(2))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - reloaded)).isLessThan(Duration.ofSeconds(1));
            awaitAudit(before, "\"event.action\":\"remote.close\"", "\"event.reason\":\"policy_changed\"",
                    "\"network.protocol\":\"rdp\"");
        } finally {
            java.nio.file.Files.writeString(config, original);
            assertThat(reloader.reload()).isEqualTo(org.portcullis.server.ConfigReloader.Outcome.APPLIED);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
