package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/** What an auditor reads from the file: one parseable object per line, with the documented fields. */
class JsonLinesAuditSinkTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T08:15:30.123Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    static AccessDecision denied(String path) {
        return new AccessDecision(AuditOutcome.FAILURE, "POLICY_DENY", "alice", "192.0.2.7", "app.test", "GET", path,
                "app", "deny-admin", "3f2a", "00112233aabbccdd", 403);
    }

    @Test
    void writesOneObjectPerLineWithEcsFields() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, CLOCK)) {
            sink.record(denied("/admin"));
            sink.record(new ConfigReload(AuditOutcome.FAILURE, "REFUSED", "/etc/portcullis/portcullis.yml", 2));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).containsExactly(
                "{\"@timestamp\":\"2026-03-01T08:15:30.123Z\",\"event.action\":\"access.decision\","
                        + "\"event.outcome\":\"failure\",\"event.reason\":\"POLICY_DENY\",\"user.name\":\"alice\","
                        + "\"source.ip\":\"192.0.2.7\",\"url.domain\":\"app.test\",\"http.request.method\":\"GET\","
                        + "\"url.path\":\"/admin\",\"route\":\"app\",\"rule.id\":\"deny-admin\","
                        + "\"session.hash\":\"3f2a\",\"request.id\":\"00112233aabbccdd\","
                        + "\"http.response.status_code\":403}",
                "{\"@timestamp\":\"2026-03-01T08:15:30.123Z\",\"event.action\":\"config.reload\","
                        + "\"event.outcome\":\"failure\",\"event.reason\":\"REFUSED\","
                        + "\"file.path\":\"/etc/portcullis/portcullis.yml\",\"error.count\":2}");
    }

    @Test
    void absentFieldsAreLeftOut() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, CLOCK)) {
            sink.record(new AccessDecision(AuditOutcome.FAILURE, "MALFORMED_REQUEST_LINE", null, "192.0.2.7", null,
                    null, null, null, null, null, "0000000000000001", 400));
        }
        assertThat(Files.readString(file)).isEqualTo("{\"@timestamp\":\"2026-03-01T08:15:30.123Z\","
                + "\"event.action\":\"access.decision\",\"event.outcome\":\"failure\","
                + "\"event.reason\":\"MALFORMED_REQUEST_LINE\",\"source.ip\":\"192.0.2.7\","
                + "\"request.id\":\"0000000000000001\",\"http.response.status_code\":400}\n");
    }

    @Test
    void controlCharactersCannotBreakOrForgeALine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String forged = "/a\n{\"event.outcome\":\"success\"}\r\u0000\u001b[31m\u2028";
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, CLOCK)) {
            sink.record(denied(forged));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\u0000", "\u001b", "\r");
        assertThat(stringField(lines.get(0), "url.path")).isEqualTo(forged);
        assertThat(stringField(lines.get(0), "event.outcome")).isEqualTo("failure");
    }

    @Test
    void appendsToWhatIsAlreadyThere() throws Exception {
        Path file = Files.writeString(dir.resolve("audit.jsonl"), "{\"earlier\":true}\n");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, CLOCK)) {
            sink.record(denied("/x"));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"earlier\":true}");
    }

    @Test
    void closeWritesEverythingQueued() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, CLOCK);
        for (int i = 0; i < 5000; i++) {
            sink.record(denied("/p" + i));
        }
        sink.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(5000);
        assertThat(stringField(lines.get(4999), "url.path")).isEqualTo("/p4999");
        assertThat(sink.dropped()).isZero();
    }

    @Test
    void fullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        JsonLinesAuditSink sink = new JsonLinesAuditSink(file, CLOCK, 3); // writer not started: nothing drains
        for (int i = 0; i < 10; i++) {
            sink.record(denied("/p" + i));
        }
        assertThat(sink.dropped()).isEqualTo(7);
        sink.start();
        sink.close();
        assertThat(Files.readAllLines(file)).extracting(line -> stringField(line, "url.path"))
                .containsExactly("/p0", "/p1", "/p2");
    }

    @Test
    void eventsAfterCloseAreDroppedNotWritten() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        JsonLinesAuditSink sink = JsonLinesAuditSink.open(file, CLOCK);
        sink.close();
        sink.record(denied("/late"));
        assertThat(Files.readString(file)).isEmpty();
        assertThat(sink.dropped()).isEqualTo(1);
    }

    /** The value of a top-level string field, read with a JSON parser (not by string search). */
    static String stringField(String line, String name) {
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                assertThat(token).isEqualTo(JsonToken.PROPERTY_NAME);
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals(name)) {
                    return parser.getString();
                }
            }
            return null;
        }
    }
}
