package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.proxy.AccessLog;
import org.portcullis.server.ConfigReloader;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 21 through the running gateway, configured as {@code ./portcullis run} reads it: with
 * {@code server.access_log.file} each request's line lands in that file (created 0600) with its request id, client,
 * method, canonical host and path, status, route, rule, outcome and duration, never its query or cookie; within a
 * second while the gateway runs, and everything at close; a changed {@code access_log} on reload waits for a restart.
 * {@code enabled: false} and the old switch
 * ({@code -Dportcullis.access.level=OFF}, i.e. the {@code portcullis.access} logger above INFO) write nothing.
 */
@Timeout(60)
class AccessLogFileTest {
    static final String SECRET = "SECRET";

    /** Bypasses {@code /open} on app.test, denies the rest; @LOG@ is the access_log section's body. */
    static final String TEMPLATE = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
              access_log:
            @LOG@
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
                  paths: [/open/**]
                  policy: bypass
            """;

    @TempDir
    Path dir;

    EchoUpstream upstream;
    GatewayHarness gateway;
    private final Logger accessSwitch = (Logger) LoggerFactory.getLogger(AccessLog.SWITCH_LOGGER);
    private Level switchLevel;

    @BeforeEach
    void start() {
        upstream = EchoUpstream.start();
        // logback-test.xml keeps the switch at WARN so that other tests stay quiet; production's default is INFO
        switchLevel = accessSwitch.getLevel();
        accessSwitch.setLevel(Level.INFO);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
        accessSwitch.setLevel(switchLevel);
    }

    void start(String logSection) throws Exception {
        gateway = GatewayHarness.start(dir, TEMPLATE.replace("@LOG@", logSection), upstream.port());
    }

    RawResponse get(String target) throws Exception {
        return RawHttpClient.exchange(gateway.port(), "GET " + target + " HTTP/1.1\r\nHost: app.test\r\nCookie: s="
                + SECRET + "\r\n\r\n");
    }

    List<String> linesAfterClose(String name) throws Exception {
        gateway.close();
        gateway = null;
        String text = Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(SECRET);
        return text.lines().toList();
    }

    @Test
    void eachRequestsLineLandsInTheConfiguredFileWithItsFields() throws Exception {
        start("    file: access.log\n");
        assertThat(get("/open/records/../7?token=" + SECRET).status()).isEqualTo(200);
        assertThat(get("/records/7?token=" + SECRET).status()).isEqualTo(403);

        assertThat(mode(dir.resolve("access.log"))).isEqualTo("rw-------");
        List<String> lines = linesAfterClose("access.log");
        assertThat(lines).hasSize(2);
        String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
        assertThat(lines.get(0)).matches(time + " request_id=[0-9a-f]{16} client=127\\.0\\.0\\.1 method=GET "
                + "target=app\\.test/open/7 status=200 route=app rule=open outcome=FORWARDED duration_us=\\d+");
        assertThat(lines.get(1)).matches(time + " request_id=[0-9a-f]{16} client=127\\.0\\.0\\.1 method=GET "
                + "target=app\\.test/records/7 status=403 route=app rule=default_policy outcome=POLICY_DENY "
                + "duration_us=\\d+");
        assertThat(mode(dir.resolve("access.log"))).isEqualTo("rw-------");
    }

    @Test
    void jsonLinesCarryTheAuditTrailsFieldNames() throws Exception {
        start("    file: access.json\n    format: json\n");
        assertThat(get("/open/a?token=" + SECRET).status()).isEqualTo(200);
        List<String> lines = linesAfterClose("access.json");
        assertThat(lines).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> line = JsonMapper.builder().build().readValue(lines.get(0), Map.class);
        assertThat(line).containsEntry("event.reason", "FORWARDED").containsEntry("source.ip", "127.0.0.1")
                .containsEntry("url.domain", "app.test").containsEntry("http.request.method", "GET")
                .containsEntry("url.path", "/open/a").containsEntry("route", "app").containsEntry("rule.id", "open")
                .containsEntry("http.response.status_code", 200).containsKeys("@timestamp", "request.id",
                        "event.duration");
        assertThat((String) line.get("request.id")).matches("[0-9a-f]{16}");
    }

    @Test
    void aLineReachesTheFileWithinASecondWhileTheGatewayRuns() throws Exception {
        start("    file: access.log\n");
        assertThat(get("/open/now").status()).isEqualTo(200);
        Path file = dir.resolve("access.log");
        long deadline = System.nanoTime() + 3_000_000_000L; // flushed within 1 s; 3 s leaves room on a busy machine
        while (Files.size(file) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(file)).contains("target=app.test/open/now status=200");
    }

    @Test
    void aChangedAccessLogOnReloadWaitsForARestart() throws Exception {
        start("    file: access.log\n");
        gateway.rewriteConfig(TEMPLATE.replace("@LOG@", "    file: moved.log\n    format: json\n"), upstream.port());
        assertThat(gateway.reloader().reload()).isEqualTo(ConfigReloader.Outcome.APPLIED);
        assertThat(gateway.server().runtime().snapshot().config().server().accessLog().file())
                .isEqualTo(dir.resolve("access.log"));
        assertThat(get("/open/after-reload").status()).isEqualTo(200);
        assertThat(linesAfterClose("access.log")).singleElement().asString()
                .contains("target=app.test/open/after-reload status=200");
        assertThat(dir.resolve("moved.log")).doesNotExist();
    }

    @Test
    void enabledFalseWritesNothing() throws Exception {
        start("    enabled: false\n    file: access.log\n");
        assertThat(get("/open/a").status()).isEqualTo(200);
        assertThat(gateway.server().runtime().accessLog().enabled()).isFalse();
        gateway.close();
        gateway = null;
        assertThat(dir.resolve("access.log")).doesNotExist();
    }

    @Test
    void theOldLevelSwitchStillTurnsTheLogOff() throws Exception {
        accessSwitch.setLevel(Level.OFF); // what -Dportcullis.access.level=OFF does through logback.xml
        start("    file: access.log\n");
        assertThat(get("/open/a").status()).isEqualTo(200);
        assertThat(gateway.server().runtime().accessLog().enabled()).isFalse();
        gateway.close();
        gateway = null;
        assertThat(dir.resolve("access.log")).doesNotExist();
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
