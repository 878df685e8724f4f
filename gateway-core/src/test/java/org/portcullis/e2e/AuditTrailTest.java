package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * Issue "Sign-in" §6 and SECURITY-RULES 20, against the real gateway: refusals (by policy and by the decoder) are
 * always in the audit file, allowed requests only with {@code log_allowed: true}, reloads always; and the query
 * string and cookies a client sends never reach the file. Closing the gateway drains the sink, so the file is read
 * after close with no waiting.
 */
class AuditTrailTest {
    static final String SECRET = "SECRET";

    /** Bypasses {@code /open} on app.test; everything else is denied. @AUDIT@ is the audit section. */
    static final String TEMPLATE = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
            access_control:
              default_policy: deny
              rules:
                - id: open
                  hosts: [app.test]
                  paths: [/open]
                  policy: bypass
            audit:
              file: audit.jsonl
              key: "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
              rotate: never
            """;

    @TempDir
    Path dir;

    EchoUpstream upstream;
    GatewayHarness gateway;

    @BeforeEach
    void startUpstream() {
        upstream = EchoUpstream.start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    void start(String yaml) throws Exception {
        gateway = GatewayHarness.start(dir, yaml, upstream.port());
    }

    /**
     * Closes the gateway (which writes out every queued event) and returns the audit file's lines between the run's
     * {@code gateway.start} and {@code gateway.stop} (AuditTrailEndTest looks at those).
     */
    List<String> auditLines() throws Exception {
        gateway.close();
        gateway = null;
        String text = Files.readString(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(SECRET);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).contains("\"event.action\":\"gateway.start\"");
        assertThat(lines.get(lines.size() - 1)).contains("\"event.action\":\"gateway.stop\"");
        return lines.subList(1, lines.size() - 1);
    }

    RawResponse send(String request) throws Exception {
        return RawHttpClient.exchange(gateway.port(), request);
    }

    @Test
    void deniedRequestIsAuditedWithoutQueryOrCookie() throws Exception {
        start(TEMPLATE);
        RawResponse response = send("GET /records/7?token=" + SECRET + " HTTP/1.1\r\nHost: app.test\r\n"
                + "Cookie: s=" + SECRET + "\r\nAuthorization: Bearer " + SECRET + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(403);

        List<String> lines = auditLines();
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        assertThat(field(line, "event.action")).isEqualTo("access.decision");
        assertThat(field(line, "event.outcome")).isEqualTo("failure");
        assertThat(field(line, "event.reason")).isEqualTo("POLICY_DENY");
        assertThat(field(line, "source.ip")).isEqualTo("127.0.0.1");
        assertThat(field(line, "url.domain")).isEqualTo("app.test");
        assertThat(field(line, "http.request.method")).isEqualTo("GET");
        assertThat(field(line, "url.path")).isEqualTo("/records/7");
        assertThat(field(line, "route")).isEqualTo("app");
        assertThat(field(line, "rule.id")).isEqualTo("default_policy");
        assertThat(field(line, "request.id")).matches("[0-9a-f]{16}");
        assertThat(field(line, "http.response.status_code")).isEqualTo("403");
        assertThat(field(line, "@timestamp")).endsWith("Z");
    }

    @Test
    void forwardedRequestTheGatewayHadToEndIsAuditedEvenWithoutLogAllowed() throws Exception {
        start(TEMPLATE);
        upstream.behaviour(org.portcullis.fixtures.Behaviour.CLOSE_WITHOUT_RESPONSE);
        assertThat(send("GET /open HTTP/1.1\r\nHost: app.test\r\n\r\n").status()).isEqualTo(502);

        List<String> lines = auditLines();
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        assertThat(field(line, "event.outcome")).isEqualTo("failure");
        assertThat(field(line, "event.reason")).isEqualTo("UPSTREAM_ERROR");
        assertThat(field(line, "rule.id")).isEqualTo("open");
        assertThat(field(line, "http.response.status_code")).isEqualTo("502");
    }

    @Test
    void decoderRefusalIsAudited() throws Exception {
        start(TEMPLATE);
        RawResponse response = send("GET /open?token=" + SECRET + " HTTP/1.1\r\nHost: app.test\r\n"
                + "Cookie: s=" + SECRET + "\r\nBad Header: x\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);

        List<String> lines = auditLines();
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        assertThat(field(line, "event.outcome")).isEqualTo("failure");
        assertThat(field(line, "event.reason")).isNotBlank();
        assertThat(field(line, "source.ip")).isEqualTo("127.0.0.1");
        assertThat(field(line, "http.response.status_code")).isEqualTo("400");
        assertThat(field(line, "url.path")).isNull();
        assertThat(upstream.takeRequest(java.time.Duration.ZERO)).isNull();
    }

    @Test
    void allowedRequestIsNotAuditedByDefault() throws Exception {
        start(TEMPLATE);
        assertThat(send("GET /open?token=" + SECRET + " HTTP/1.1\r\nHost: app.test\r\n\r\n").status())
                .isEqualTo(200);
        assertThat(auditLines()).isEmpty();
    }

    @Test
    void allowedRequestIsAuditedWithLogAllowed() throws Exception {
        start(TEMPLATE + "  log_allowed: true\n");
        assertThat(send("GET /open?token=" + SECRET + " HTTP/1.1\r\nHost: app.test\r\nCookie: s=" + SECRET
                + "\r\n\r\n").status()).isEqualTo(200);

        List<String> lines = auditLines();
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        assertThat(field(line, "event.outcome")).isEqualTo("success");
        assertThat(field(line, "url.path")).isEqualTo("/open");
        assertThat(field(line, "rule.id")).isEqualTo("open");
        assertThat(field(line, "http.response.status_code")).isEqualTo("200");
    }

    @Test
    void reloadsAreAudited() throws Exception {
        start(TEMPLATE);
        gateway.reloader().reload();
        gateway.rewriteConfig(TEMPLATE + "  log_allowed: maybe\n", upstream.port());
        gateway.reloader().reload();

        List<String> lines = auditLines();
        assertThat(lines).hasSize(2);
        assertThat(field(lines.get(0), "event.action")).isEqualTo("config.reload");
        assertThat(field(lines.get(0), "event.outcome")).isEqualTo("success");
        assertThat(field(lines.get(0), "error.count")).isEqualTo("0");
        assertThat(field(lines.get(1), "event.action")).isEqualTo("config.reload");
        assertThat(field(lines.get(1), "event.outcome")).isEqualTo("failure");
        assertThat(field(lines.get(1), "event.reason")).isEqualTo("REFUSED");
        assertThat(field(lines.get(1), "error.count")).isEqualTo("1");
        assertThat(String.join("\n", lines)).doesNotContain("maybe");
    }

    /** A top-level field's value as text, read with a JSON parser; null when the line has no such field. */
    static String field(String line, String name) {
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String current = parser.currentName();
                parser.nextToken();
                if (current.equals(name)) {
                    return parser.getText();
                }
            }
            return null;
        }
    }
    /**
     * Issue 7 §5: a syslog receiver that accepts the connection and then reads nothing holds up neither requests nor
     * the file: every request is answered and audited while the syslog copies pile up unread (the queue and drops
     * themselves are covered by SyslogForwarderTest).
     */
    @Test
    void aSyslogReceiverThatStopsReadingHoldsUpNeitherRequestsNorTheFile() throws Exception {
        try (java.net.ServerSocket receiver = new java.net.ServerSocket()) {
            receiver.setReceiveBufferSize(1024);
            receiver.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(receiver.accept()); // and never read from it
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            start(TEMPLATE + "  syslog:\n    address: 127.0.0.1:" + receiver.getLocalPort() + "\n    tls: false\n");
            int requests = 200;
            String padding = "p".repeat(2000);
            for (int i = 0; i < requests; i++) {
                assertThat(send("GET /denied/" + i + "/" + padding + " HTTP/1.1\r\nHost: app.test\r\n\r\n")
                        .status()).isEqualTo(403);
            }
            List<String> lines = auditLines();
            assertThat(lines).hasSize(requests);
            // Every request's line, in any order: each request came on a connection of its own, and a loop may
            // write its line just after the next request's loop wrote the next one (the answer is sent first).
            for (int i = 0; i < requests; i++) {
                String path = "/denied/" + i + "/";
                assertThat(lines).as("the line of request %d", i).anyMatch(line -> line.contains(path));
            }
            assertThat(held).as("the gateway did connect to the receiver").isNotEmpty();
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }
}
