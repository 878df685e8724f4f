package org.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.portcullis.accesslog.AccessLogWriter;
import org.portcullis.admission.AdmissionPipeline;
import org.portcullis.admission.IdentityStage;
import org.portcullis.admission.SessionStage;
import org.portcullis.audit.AccessDecision;
import org.portcullis.config.AccessLogConfig;
import org.portcullis.config.ServerConfig;
import org.portcullis.pool.Transport;
import org.portcullis.pool.UpstreamPools;
import org.portcullis.portal.NoPortal;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.PortalService;
import org.portcullis.snapshot.CurrentSnapshot;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.snapshot.TestSnapshots;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * A client connection without sign-in, on an {@link EmbeddedChannel}: what the client reads back for requests the
 * gateway answers itself (refusals, challenges, the portal that is not configured), the order of pipelined answers,
 * the client clocks, reading while a request waits, and exactly one access-log line and audit event per request.
 */
class FrontendHandlerTest {
    static final String YAML = """
            server:
              listeners:
                - address: 127.0.0.1:8080
            limits:
              idle_timeout: 60s
              header_read_timeout: 10s
              body_read_timeout: 30s
            routes:
              - name: app
                host: app.test
                upstream: http://127.0.0.1:9
            access_control:
              default_policy: deny
              rules:
                - id: closed
                  hosts: [app.test]
                  paths: [/closed]
                  policy: deny
                - id: staff
                  hosts: [app.test]
                  paths: [/private]
                  policy: two_factor
            """;
    static final GatewaySnapshot SNAPSHOT = TestSnapshots.snapshot(YAML);
    static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3}) ");
    static final Pattern REQUEST_ID = Pattern.compile("request_id=(\\S+)");

    final ClientConnection.RecordingAudit audit = new ClientConnection.RecordingAudit();
    final StorageExecutor storageThreads = new StorageExecutor(1, 1);
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        storageThreads.close();
    }

    @TempDir
    Path dir;

    /** The access log a connection's requests are written to, in a file of its own. */
    private AccessLog openAccessLog(Path file) {
        try {
            return new AccessLog(AccessLogWriter.open(AccessLogConfig.toFile(file), Clock.systemUTC()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A connection to the gateway as {@code GatewayServer.start} wires one without storage and users. */
    ClientConnection connect() {
        Transport transport = Transport.of(ServerConfig.Transport.NIO);
        Path file = dir.resolve("access-" + toClose.size() + ".log");
        AccessLog accessLog = openAccessLog(file);
        GatewayRuntime runtime = new GatewayRuntime(new CurrentSnapshot(SNAPSHOT), new UpstreamPools(transport),
                transport, Clock.systemUTC(), audit, accessLog, null, storageThreads, null, null);
        return connect(runtime.requestPath(), accessLog, file);
    }

    /** The same, with {@code portal} answering the gateway's own pages. */
    ClientConnection connect(PortalService portal) {
        Path file = dir.resolve("access-" + toClose.size() + ".log");
        AccessLog accessLog = openAccessLog(file);
        RequestPath path = new RequestPath(() -> SNAPSHOT, AdmissionPipeline.standard(new SessionStage(null, audit),
                new IdentityStage(new UpstreamIdentity(null))), portal,
                new RequestJournal(accessLog, audit, new RefusalLog(Clock.systemUTC())), Optional.empty());
        return connect(path, accessLog, file);
    }

    ClientConnection connect(RequestPath path, AccessLog accessLog, Path file) {
        ClientConnection connection = new ClientConnection(SNAPSHOT, path, audit, accessLog, file);
        toClose.add(connection);
        return connection;
    }

    static List<Integer> statuses(String received) {
        List<Integer> out = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(received);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    /** One access-log line and one audit event per request, joined by the same distinct request ids. */
    static void assertOneRecordEach(ClientConnection client, String... outcomes) {
        List<String> lines = client.accessLog();
        assertThat(lines).hasSize(outcomes.length);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            assertThat(lines.get(i)).contains("outcome=" + outcomes[i] + " ");
            Matcher id = REQUEST_ID.matcher(lines.get(i));
            assertThat(id.find()).isTrue();
            ids.add(id.group(1));
        }
        assertThat(ids).doesNotHaveDuplicates();
        List<AccessDecision> decisions = client.audit.decisions();
        assertThat(decisions).extracting(AccessDecision::requestId).containsExactlyElementsOf(ids);
        assertThat(decisions).extracting(AccessDecision::reason).containsExactly(outcomes);
    }

    @Test
    void requestWithoutRouteIs404AndTheConnectionStaysOpen() {
        ClientConnection client = connect();

        client.send("GET /x HTTP/1.1\r\nHost: nowhere.test\r\n\r\n");
        String received = client.received();

        assertThat(statuses(received)).containsExactly(404);
        assertThat(received).doesNotContainIgnoringCase("connection: close");
        assertThat(client.channel.isOpen()).isTrue();
        assertThat(client.channel.config().isAutoRead()).isTrue();
        assertThat(audit.decisions()).as("the first request is recorded").hasSize(1);

        client.send("GET /closed HTTP/1.1\r\nHost: app.test\r\n\r\n");
        assertThat(statuses(client.received())).as("the next request on the same connection").containsExactly(403);
        assertOneRecordEach(client, "NO_ROUTE", "POLICY_DENY");
    }

    @Test
    void refusedRequestWithABodyClosesTheConnection() {
        ClientConnection client = connect();

        client.send("POST /x HTTP/1.1\r\nHost: nowhere.test\r\nContent-Length: 5\r\n\r\nhello");
        String received = client.received();

        assertThat(statuses(received)).containsExactly(404);
        assertThat(received).containsIgnoringCase("connection: close");
        assertThat(client.channel.isOpen()).isFalse();
        assertOneRecordEach(client, "NO_ROUTE");
    }

    @Test
    void requestAskingToCloseIsAnsweredAndClosed() {
        ClientConnection client = connect();

        client.send("GET /x HTTP/1.1\r\nHost: nowhere.test\r\nConnection: close\r\n\r\n"
                + "GET /closed HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(statuses(client.received())).containsExactly(404);
        assertThat(client.channel.isOpen()).isFalse();
        assertOneRecordEach(client, "NO_ROUTE");
    }

    @Test
    void pipelinedRefusalsAreAnsweredInOrder() {
        ClientConnection client = connect();

        client.send("GET /closed HTTP/1.1\r\nHost: app.test\r\n\r\n"
                + "GET /x HTTP/1.1\r\nHost: nowhere.test\r\n\r\n"
                + "GET /private HTTP/1.1\r\nHost: app.test\r\nAccept: application/json\r\n\r\n");

        assertThat(statuses(client.received())).containsExactly(403, 404, 401);
        assertThat(client.channel.isOpen()).isTrue();
        assertThat(client.channel.config().isAutoRead()).isTrue();
        List<String> lines = client.accessLog();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("target=app.test/closed", "status=403", "rule=closed");
        assertThat(lines.get(1)).contains("target=nowhere.test/x", "status=404");
        assertThat(lines.get(2)).contains("target=app.test/private", "status=401", "rule=staff");
        assertThat(client.audit.decisions()).hasSize(3);
    }

    @Test
    void malformedRequestIs400AndCloses() {
        ClientConnection client = connect();

        client.send("GET / HTTP/1.1\r\nHost : app.test\r\n\r\nGET /closed HTTP/1.1\r\nHost: app.test\r\n\r\n");
        String received = client.received();

        assertThat(statuses(received)).containsExactly(400);
        assertThat(received).containsIgnoringCase("connection: close");
        assertThat(client.channel.isOpen()).isFalse();
        assertOneRecordEach(client, "WHITESPACE_BEFORE_COLON");
    }

    @Test
    void portalPathWithoutSignInIsAnsweredByNoPortal() {
        ClientConnection client = connect();

        client.send("GET /.portcullis/login HTTP/1.1\r\nHost: app.test\r\n\r\n");
        String received = client.received();

        assertThat(statuses(received)).containsExactly(404);
        assertThat(client.channel.isOpen()).isTrue();
        assertThat(client.accessLog()).singleElement().asString()
                .contains("route=portal", "outcome=PORTAL_NOT_CONFIGURED", "status=404");
        assertThat(client.audit.decisions()).singleElement()
                .extracting(AccessDecision::reason).isEqualTo("PORTAL_NOT_CONFIGURED");
    }

    @Test
    void slowHeadIsAnswered408WhenTheHeaderClockRunsOut() {
        ClientConnection client = connect();

        client.send("GET /x HTTP/1.1\r\nHo");
        client.advance(Duration.ofSeconds(9));
        client.send("st: app");
        client.advance(Duration.ofMillis(999));
        assertThat(client.received()).isEmpty();
        assertThat(client.channel.isOpen()).isTrue();

        client.advance(Duration.ofMillis(2));
        String received = client.received();

        assertThat(statuses(received)).containsExactly(408);
        assertThat(client.channel.isOpen()).isFalse();
        assertOneRecordEach(client, "HEADER_READ_TIMEOUT");
    }

    @Test
    void idleConnectionClosesSilentlyAfterTheIdleTimeout() {
        ClientConnection client = connect();
        client.send("GET /x HTTP/1.1\r\nHost: nowhere.test\r\n\r\n");
        assertThat(statuses(client.received())).containsExactly(404);

        client.advance(Duration.ofSeconds(59));
        assertThat(client.channel.isOpen()).isTrue();
        client.advance(Duration.ofSeconds(2));

        assertThat(client.channel.isOpen()).isFalse();
        assertThat(client.received()).isEmpty();
        assertOneRecordEach(client, "NO_ROUTE");
    }

    @Test
    void idleClockStartsAgainAfterEachRequest() {
        ClientConnection client = connect();
        client.advance(Duration.ofSeconds(50));
        client.send("GET /x HTTP/1.1\r\nHost: nowhere.test\r\n\r\n");
        client.received();

        client.advance(Duration.ofSeconds(50));

        assertThat(client.channel.isOpen()).as("100s since connecting, but only 50s idle").isTrue();
    }

    /** The real answer of a gateway without a portal, held until the test lets it go (as sign-in threads would). */
    static final class HeldPortal implements PortalService {
        final List<CompletableFuture<Void>> held = new ArrayList<>();

        @Override
        public CompletableFuture<PortalResponse> handle(PortalRequest request) {
            CompletableFuture<Void> go = new CompletableFuture<>();
            held.add(go);
            return go.thenCompose(ignored -> NoPortal.INSTANCE.handle(request));
        }

        void answerNext() {
            held.remove(0).complete(null);
        }
    }

    @Test
    void readingStopsWhileARequestWaitsInTheQueue() {
        HeldPortal portal = new HeldPortal();
        ClientConnection client = connect(portal);

        client.send("GET /.portcullis/login HTTP/1.1\r\nHost: app.test\r\n\r\n"
                + "GET /closed HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(client.received()).as("the portal has not answered").isEmpty();
        assertThat(client.channel.config().isAutoRead()).as("a request waits in the queue").isFalse();
        assertThat(audit.decisions()).as("nothing recorded before the answer").isEmpty();

        portal.answerNext();
        String received = client.received();

        assertThat(statuses(received)).containsExactly(404, 403);
        assertThat(client.channel.config().isAutoRead()).as("the queue is empty again").isTrue();
        assertOneRecordEach(client, "PORTAL_NOT_CONFIGURED", "POLICY_DENY");
    }

    @Test
    void readingGoesOnWhileTheOnlyRequestWaitsForThePortal() {
        HeldPortal portal = new HeldPortal();
        ClientConnection client = connect(portal);

        client.send("GET /.portcullis/login HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(client.channel.config().isAutoRead()).as("nothing queued").isTrue();
        portal.answerNext();
        assertThat(statuses(client.received())).containsExactly(404);
    }

    @Test
    void portalBodyThatStallsIsAnswered408AndRecordedOnce() {
        HeldPortal portal = new HeldPortal();
        ClientConnection client = connect(portal);

        client.send("POST /.portcullis/login HTTP/1.1\r\nHost: app.test\r\nContent-Length: 10\r\n\r\nabc");
        client.advance(Duration.ofSeconds(29));
        assertThat(client.received()).isEmpty();
        client.advance(Duration.ofSeconds(2));

        assertThat(statuses(client.received())).containsExactly(408);
        assertThat(client.channel.isOpen()).isFalse();
        assertThat(portal.held).as("the portal was never asked").isEmpty();
        assertOneRecordEach(client, "CLIENT_FAILED");
    }
}
