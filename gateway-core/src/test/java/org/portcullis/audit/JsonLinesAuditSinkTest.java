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
import org.portcullis.config.AuditConfig;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/** What an auditor reads from the file: one parseable object per line, with the documented fields. */
class JsonLinesAuditSinkTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T08:15:30.123Z"), ZoneOffset.UTC);

    /** A valid audit key (32 bytes as base64); tests never use it for anything else. */
    static final String KEY = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    @TempDir
    Path dir;

    static JsonLinesAuditSink open(Path file) throws Exception {
        return JsonLinesAuditSink.open(AuditConfig.of(file, false, KEY), CLOCK);
    }

    /** The line without its chain fields (docs/audit-log.md), to compare the event fields as written. */
    static String withoutChain(String line) {
        int chain = line.indexOf(",\"event.sequence\":");
        assertThat(chain).as("chain fields in %s", line).isPositive();
        return line.substring(0, chain) + "}";
    }

    static AccessDecision denied(String path) {
        return new AccessDecision(AuditOutcome.FAILURE, "POLICY_DENY", "alice", "192.0.2.7", "app.test", "GET", path,
                "app", "deny-admin", "3f2a", "00112233aabbccdd", 403);
    }

    @Test
    void writesOneObjectPerLineWithEcsFields() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = open(file)) {
            sink.record(denied("/admin"));
            sink.record(new ConfigReload(AuditOutcome.FAILURE, "REFUSED", "/etc/portcullis/portcullis.yml", 2));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).extracting(JsonLinesAuditSinkTest::withoutChain).containsExactly(
                "{\"@timestamp\":\"2026-03-01T08:15:30.123Z\",\"event.action\":\"access.decision\","
                        + "\"event.outcome\":\"failure\",\"event.reason\":\"POLICY_DENY\",\"user.name\":\"alice\","
                        + "\"source.ip\":\"192.0.2.7\",\"url.domain\":\"app.test\",\"http.request.method\":\"GET\","
                        + "\"url.path\":\"/admin\",\"route\":\"app\",\"rule.id\":\"deny-admin\","
                        + "\"session.id\":\"3f2a\",\"request.id\":\"00112233aabbccdd\","
                        + "\"http.response.status_code\":403}",
                "{\"@timestamp\":\"2026-03-01T08:15:30.123Z\",\"event.action\":\"config.reload\","
                        + "\"event.outcome\":\"failure\",\"event.reason\":\"REFUSED\","
                        + "\"file.path\":\"/etc/portcullis/portcullis.yml\",\"error.count\":2}");
    }

    @Test
    void anAllowedRequestOfASignedInSessionNamesItsFactorsAndStaysReadableByVerify() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = open(file)) {
            sink.record(new AccessDecision(AuditOutcome.SUCCESS, "FORWARDED", "alice", "192.0.2.7", "app.test", "GET",
                    "/records", "app", "clinicians", "3f2a", "00112233aabbccdd", 200, List.of("password", "totp")));
        }
        String line = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
        assertThat(withoutChain(line)).contains("\"session.id\":\"3f2a\",\"auth.factors\":\"password,totp\","
                + "\"request.id\":\"00112233aabbccdd\"");
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        assertThat(AuditLine.parse(bytes, bytes.length)).as("a sealed line holds scalar fields only").isNotNull();
    }

    @Test
    void absentFieldsAreLeftOut() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = open(file)) {
            sink.record(new AccessDecision(AuditOutcome.FAILURE, "MALFORMED_REQUEST_LINE", null, "192.0.2.7", null,
                    null, null, null, null, null, "0000000000000001", 400));
        }
        assertThat(withoutChain(Files.readString(file))).isEqualTo("{\"@timestamp\":\"2026-03-01T08:15:30.123Z\","
                + "\"event.action\":\"access.decision\",\"event.outcome\":\"failure\","
                + "\"event.reason\":\"MALFORMED_REQUEST_LINE\",\"source.ip\":\"192.0.2.7\","
                + "\"request.id\":\"0000000000000001\",\"http.response.status_code\":400}");
    }

    @Test
    void controlCharactersCannotBreakOrForgeALine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String forged = "/a\n{\"event.outcome\":\"success\"}\r\u0000\u001b[31m\u2028";
        try (JsonLinesAuditSink sink = open(file)) {
            sink.record(denied(forged));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\u0000", "\u001b", "\r");
        assertThat(stringField(lines.get(0), "url.path")).isEqualTo(forged);
        assertThat(stringField(lines.get(0), "event.outcome")).isEqualTo("failure");
    }

    @Test
    void appendsToWhatIsAlreadyThereAndContinuesItsChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = open(file)) {
            sink.record(denied("/x"));
        }
        try (JsonLinesAuditSink sink = open(file)) {
            sink.record(denied("/y"));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(stringField(lines.get(1), "url.path")).isEqualTo("/y");
        assertThat(lines.get(1)).contains("\"event.sequence\":2,\"event.hash\":");
    }

    @Test
    void aFileWrittenBeforeTheChainIsMovedAsideAndANewChainStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("audit.jsonl"), "{\"earlier\":true}\n");
        try (JsonLinesAuditSink sink = open(file)) {
            sink.record(denied("/x"));
        }
        assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"event.sequence\":1,");
        try (var entries = Files.list(dir)) {
            Path aside = entries.filter(p -> p.getFileName().toString().startsWith("audit-unchained-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readString(aside)).isEqualTo("{\"earlier\":true}\n");
        }
    }

    @Test
    void closeWritesEverythingQueued() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        JsonLinesAuditSink sink = open(file);
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
        // writer not started: nothing drains
        JsonLinesAuditSink sink = new JsonLinesAuditSink(AuditConfig.of(file, false, KEY), CLOCK, 3);
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
        JsonLinesAuditSink sink = open(file);
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
