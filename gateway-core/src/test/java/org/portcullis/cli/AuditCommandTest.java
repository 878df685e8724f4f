package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.audit.AccessDecision;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.JsonLinesAuditSink;
import org.portcullis.audit.SignInEvent;
import org.portcullis.config.AuditConfig;
import org.portcullis.fixtures.MutableClock;
import picocli.CommandLine;

/** {@code audit verify} and {@code audit query} run in-process over a trail of three days, rotated daily and gzipped. */
class AuditCommandTest {
    static final String KEY = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    static final String OTHER_KEY = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

    @TempDir
    Path dir;

    Path active;
    Path keyFile;

    record Run(int exitCode, String out, String err) {
    }

    Run audit(String... args) {
        return audit(Clock.fixed(Instant.parse("2026-11-04T12:00:00Z"), ZoneOffset.UTC), args);
    }

    Run audit(Clock clock, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == AuditQueryCommand.class) {
                    return type.cast(new AuditQueryCommand(clock));
                }
                if (type == AuditReportCommand.class) {
                    AuditReportCommand report = new AuditReportCommand(clock);
                    report.environment = Map.of("AUDIT_KEY", KEY)::get;
                    return type.cast(report);
                }
                if (type == AuditVerifyCommand.class) {
                    AuditVerifyCommand verify = new AuditVerifyCommand();
                    verify.environment = Map.of("AUDIT_KEY", KEY)::get;
                    return type.cast(verify);
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("portcullis: " + ex.getMessage());
            return 2;
        });
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    static AccessDecision access(AuditOutcome outcome, String user, String ip, String host, String path) {
        return new AccessDecision(outcome, outcome == AuditOutcome.SUCCESS ? "FORWARDED" : "POLICY_DENY", user, ip,
                host, "GET", path, "app", "rule", null, "00112233aabbccdd", outcome == AuditOutcome.SUCCESS ? 200 : 403);
    }

    /** Nov 1: alice in from 10.1.2.3; Nov 2: bob refused from 192.0.2.7; Nov 3: alice's wrong password. */
    @BeforeEach
    void threeDays() throws Exception {
        active = dir.resolve("audit.jsonl");
        keyFile = Files.writeString(dir.resolve("audit.key"), KEY + "\n");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T09:00:00Z"));
        AuditConfig config = new AuditConfig(active, true, KEY, AuditConfig.Rotation.DAILY, 0, true,
                AuditConfig.Flush.EVERY_EVENT, Duration.ofSeconds(1));
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(config, clock)) {
            sink.record(access(AuditOutcome.SUCCESS, "alice", "10.1.2.3", "records.test", "/patients"));
            sink.record(new SignInEvent(SignInEvent.ACTION_SIGN_IN, AuditOutcome.SUCCESS, "password", "alice",
                    "10.1.2.3", "login.test", null, "0000000000000001"));
            clock.advance(Duration.ofDays(1));
            sink.record(access(AuditOutcome.FAILURE, "bob", "192.0.2.7", "records.test", "/admin"));
            sink.record(access(AuditOutcome.FAILURE, null, "192.0.2.7", "mail.test", "=HYPERLINK(\"x\")"));
            clock.advance(Duration.ofDays(1));
            sink.record(new SignInEvent(SignInEvent.ACTION_SIGN_IN, AuditOutcome.FAILURE, "wrong_password", "alice",
                    "10.9.9.9", "login.test", null, "0000000000000002"));
        }
    }

    List<String> trail() throws Exception {
        return org.portcullis.audit.AuditFiles.trail(active).stream().map(Path::toString).toList();
    }

    String configFile() throws Exception {
        Path config = dir.resolve("portcullis.yml");
        Files.writeString(config, """
                server:
                  listeners:
                    - address: 127.0.0.1:8080
                audit:
                  file: audit.jsonl
                  key: ${file:%s}
                """.formatted(keyFile));
        return config.toString();
    }

    @Test
    void verifyReportsOkWithTheCountOverRotatedCompressedFiles() throws Exception {
        List<String> files = trail();
        assertThat(files).hasSize(3);
        String[] args = new java.util.ArrayList<String>() {{
                add("verify");
                addAll(files);
                add("--key");
                add("file:" + keyFile);
            }}.toArray(String[]::new);
        Run run = audit(args);
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("OK: 5 events in 3 files, sequence 1 to 5 \\(from the start of the trail\\); "
                + "last hash [0-9a-f]{64}; the end is not checked against the store's note of it \\(give --config\\)\n");
    }

    @Test
    void verifyTakesFilesAndKeyFromTheConfig() throws Exception {
        Run run = audit("verify", "--config", configFile());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("OK: 5 events in 3 files");
    }

    @Test
    void verifyNamesTheBreakAndExitsOne() throws Exception {
        Files.writeString(active, Files.readString(active).replace("wrong_password", "password"));
        Run run = audit("verify", "--config", configFile());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("BROKEN: " + active + ":1: line edited: the hash of sequence 5 does not "
                + "match its content\n");
    }

    @Test
    void verifyWithAnotherKeySaysWrongKey() throws Exception {
        Path other = Files.writeString(dir.resolve("other.key"), OTHER_KEY);
        Run run = audit("verify", trail().get(0), "--key", "file:" + other);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(": wrong key: ");
    }

    @Test
    void verifyReadsTheKeyFromTheEnvironment() throws Exception {
        Run run = audit("verify", trail().get(0), "--key", "env:AUDIT_KEY");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void verifyRefusesAKeyOnTheCommandLineWithoutEchoingIt() throws Exception {
        Run run = audit("verify", active.toString(), "--key", KEY);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: --key must be env:NAME or file:PATH; the key itself is not accepted "
                + "on the command line, where ps and the shell history would show it\n");
    }

    @Test
    void verifyWithABadKeyFileGivesItsLengthOnly() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.key"), "c2VjcmV0");
        Run run = audit("verify", active.toString(), "--key", "file:" + bad);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: --key: (redacted, 8 chars) is not a 32-byte key (allowed: 32 random "
                + "bytes as base64, base64url or 64 hex digits)\n").doesNotContain("c2VjcmV0");
    }

    @Test
    void verifyWithoutFilesOrConfigIsBadInput() {
        Run run = audit("verify", "--key", "env:AUDIT_KEY");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: give the audit files (oldest first) or --config FILE\n");
    }

    @Test
    void queryFiltersByUserAndOutcomeAcrossFilesInOrder() throws Exception {
        Run run = audit("query", "--config", configFile(), "--user", "alice", "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"event.sequence\":1,");
        assertThat(lines.get(2)).contains("wrong_password");

        Run failures = audit("query", "--config", configFile(), "--user", "alice", "--outcome", "failure",
                "--format", "json");
        assertThat(failures.out().lines()).singleElement().asString().contains("\"event.sequence\":5,");
    }

    @Test
    void queryFiltersByTimeEventHostAndNetwork() throws Exception {
        assertThat(audit("query", "--config", configFile(), "--since", "2026-11-02", "--until", "2026-11-02",
                "--format", "json").out().lines()).hasSize(2);
        assertThat(audit("query", "--config", configFile(), "--since", "2026-11-02T00:00:00Z", "--format", "json")
                .out().lines()).hasSize(3);
        assertThat(audit("query", "--config", configFile(), "--since", "2d", "--format", "json").out().lines())
                .hasSize(1); // now is Nov 4 12:00: only Nov 3 09:00 is within two days... and Nov 2 09:00 is not
        assertThat(audit("query", "--config", configFile(), "--event", "user.sign_in", "--format", "json").out()
                .lines()).hasSize(2);
        assertThat(audit("query", "--config", configFile(), "--host", "RECORDS.test", "--format", "json").out()
                .lines()).hasSize(2);
        assertThat(audit("query", "--config", configFile(), "--ip", "10.0.0.0/8", "--format", "json").out()
                .lines()).hasSize(3);
    }

    @Test
    void csvHasAHeaderAndDefusesFormulas() throws Exception {
        Run run = audit("query", "--config", configFile(), "--host", "mail.test", "--format", "csv");
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("@timestamp,event.action,event.outcome,event.reason,user.name,");
        assertThat(lines.get(1)).contains(",\"'=HYPERLINK(\"\"x\"\")\",");
    }

    @Test
    void tableHasOneRowPerEventAndCountsOnStderr() throws Exception {
        Run run = audit("query", "--config", configFile(), "--user", "bob");
        assertThat(run.out().lines().toList()).hasSize(2);
        assertThat(run.out().lines().skip(1).findFirst().orElseThrow()).startsWith("2026-11-02T09:00:00Z")
                .contains("access.decision", "failure", "POLICY_DENY", "bob", "192.0.2.7", "/admin");
        assertThat(run.err()).isEqualTo("1 event of 5 matched\n");
    }

    /** A trail an auditor of a roll-out reads: challenges, an admin command for bob, a reload, factors. */
    private Path rollOutTrail() throws Exception {
        Path other = Files.createDirectories(dir.resolve("rollout"));
        Path file = other.resolve("audit.jsonl");
        // Nanosecond timestamps: wider than the 24 characters the old table assumed.
        MutableClock clock = new MutableClock(Instant.parse("2026-11-05T09:00:00.123456789Z"));
        AuditConfig config = new AuditConfig(file, true, KEY, AuditConfig.Rotation.NEVER, 0, false,
                AuditConfig.Flush.EVERY_EVENT, Duration.ofSeconds(1));
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(config, clock)) {
            sink.record(new AccessDecision(AuditOutcome.FAILURE, "SIGN_IN_REDIRECT", null, "10.1.2.3",
                    "records.test", "GET", "/", "app", "records", null, "00112233aabbccd1", 302));
            sink.record(new AccessDecision(AuditOutcome.FAILURE, "SECOND_FACTOR_REQUIRED", "bob", "10.1.2.3",
                    "records.test", "GET", "/api", "app", "admin", null, "00112233aabbccd2", 401));
            sink.record(new AccessDecision(AuditOutcome.FAILURE, "POLICY_DENY", "bob", "10.1.2.3",
                    "records.test", "GET", "/admin", "app", "default_policy", null, "00112233aabbccd3", 403));
            sink.record(new AccessDecision(AuditOutcome.SUCCESS, "FORWARDED", "alice", "10.1.2.3", "records.test",
                    "GET", "/patients", "app", "records", "1f3870be", "00112233aabbccd4", 200,
                    List.of("password", "totp")));
            sink.record(new org.portcullis.audit.AdminCommand(clock.instant(), "users.invite", AuditOutcome.SUCCESS,
                    "root", "bob", "valid_until=2026-11-06T09:00:00Z"));
            sink.record(new org.portcullis.audit.ConfigReload(AuditOutcome.SUCCESS, "APPLIED",
                    "/etc/portcullis/users.yaml", 0));
        }
        return file;
    }

    @Test
    void tableColumnsAreAsWideAsTheirValuesAndShowTargetFileFactorsAndDetail() throws Exception {
        Run run = audit("query", rollOutTrail().toString());

        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(7);
        String header = lines.get(0);
        assertThat(header).startsWith("TIME").contains("  TARGET  ").contains("  FILE  ").contains("  FACTORS  ")
                .endsWith("DETAIL");
        for (String column : List.of("ACTION", "OUTCOME", "USER", "TARGET", "HOST", "PATH", "FILE", "FACTORS")) {
            int at = header.indexOf(column);
            assertThat(lines.subList(1, lines.size())).as("every row's %s starts under its heading", column)
                    .allSatisfy(line -> assertThat(line.charAt(at - 1)).isEqualTo(' ')
                            .satisfies(c -> assertThat(line.charAt(at)).isNotEqualTo(' ')));
        }
        assertThat(lines.get(1)).startsWith("2026-11-05T09:00:00.123456789Z  access.decision").contains("challenge");
        assertThat(lines.get(4)).contains("password,totp");
        assertThat(lines.get(5)).contains("users.invite").contains(" bob ").endsWith("valid_until=2026-11-06T09:00:00Z");
        assertThat(lines.get(6)).contains("/etc/portcullis/users.yaml");
    }

    @Test
    void userIsMatchedInAnyCaseAlsoAsTheTargetOfAnAdminCommand() throws Exception {
        Run run = audit("query", rollOutTrail().toString(), "--user", "BOB", "--format", "json");

        assertThat(run.out().lines()).hasSize(3)
                .anySatisfy(line -> assertThat(line).contains("\"user.target.name\":\"bob\""));
    }

    @Test
    void challengesAreTheirOwnOutcomeAndNotFailures() throws Exception {
        String trail = rollOutTrail().toString();

        Run failures = audit("query", trail, "--outcome", "failure", "--format", "json");
        Run challenges = audit("query", trail, "--outcome", "challenge", "--format", "json");

        assertThat(failures.out().lines()).singleElement().asString().contains("POLICY_DENY");
        assertThat(challenges.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                .containsAnyOf("SIGN_IN_REDIRECT", "SECOND_FACTOR_REQUIRED").contains("\"event.outcome\":\"failure\""));
        assertThat(audit("query", trail, "--outcome", "fail").err()).isEqualTo("error: --outcome: 'fail' is not an"
                + " outcome (allowed: success, failure, challenge)\n");
    }

    @Test
    void csvCarriesTheTargetDetailFileAndFactors() throws Exception {
        Run run = audit("query", rollOutTrail().toString(), "--format", "csv");
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("@timestamp,event.action,event.outcome,event.reason,user.name,"
                + "user.target.name,source.ip,url.domain,http.request.method,url.path,file.path,route,rule.id,"
                + "http.response.status_code,session.id,auth.factors,event.detail,request.id,event.sequence");
        assertThat(lines.get(4)).contains(",\"password,totp\",");
        assertThat(lines.get(5)).contains(",bob,").contains(",valid_until=2026-11-06T09:00:00Z,");
        assertThat(lines.get(6)).contains(",/etc/portcullis/users.yaml,");
    }

    @Test
    void queryNamesABadOption() throws Exception {
        Run run = audit("query", "--config", configFile(), "--since", "last tuesday");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: --since: 'last tuesday' is not a time (allowed: 2026-11-01, "
                + "2026-11-01T08:00:00Z, or an age such as 30d, 12h, 15m)\n");
        assertThat(audit("query", active.toString(), "--ip", "10.0.0.1/8").err())
                .isEqualTo("error: --ip: '10.0.0.1/8' is not a CIDR: host bits are set; the network is 10.0.0.0/8\n");
    }

    @Test
    void reportWritesOneHtmlFileForThePeriodWithTheChainVerdict() throws Exception {
        Path out = dir.resolve("report.html");
        Run run = audit("report", "--config", configFile(), "--since", "2026-11-01", "--until", "2026-11-03",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("wrote " + out + ": 5 events from 2026-11-01T00:00:00Z to "
                + "2026-11-04T00:00:00Z; chain OK\n");
        String html = Files.readString(out);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("OK: 5 events in 3 files, sequence 1 to 5")
                .contains("<td>alice</td><td>records.test</td><td class=\"n\">1</td>")
                .doesNotContain("<script", "http-equiv=\"refresh\"");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void reportDefaultsToTheLastThirtyDaysAndTakesTheKeyFromTheEnvironment() throws Exception {
        Path out = dir.resolve("report.html");
        Run run = audit("report", active.toString(), "--key", "env:AUDIT_KEY", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        // now is 2026-11-04T12:00Z; only the active file (November 3) is given
        assertThat(run.out()).isEqualTo("wrote " + out + ": 1 event from 2026-10-05T12:00:00Z to "
                + "2026-11-04T12:00:00Z; chain OK\n");
    }

    @Test
    void reportOnAnEditedTrailIsWrittenSaysBrokenAndExitsOne() throws Exception {
        Files.writeString(active, Files.readString(active).replace("wrong_password", "password"));
        Path out = dir.resolve("report.html");
        Run run = audit("report", "--config", configFile(), "--since", "2026-11-01", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).endsWith("; chain BROKEN (see the report)\n");
        assertThat(Files.readString(out)).contains("BROKEN: " + active + ":1: line edited: the hash of sequence 5 "
                + "does not match its content");
    }

    @Test
    void reportNamesBadInputAndWritesNothing() throws Exception {
        Path out = dir.resolve("report.html");
        Run badTime = audit("report", "--config", configFile(), "--since", "yesterday", "--out", out.toString());
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).isEqualTo("error: --since: 'yesterday' is not a time (allowed: 2026-11-01, "
                + "2026-11-01T08:00:00Z, or an age such as 30d, 12h, 15m)\n");
        Run empty = audit("report", "--config", configFile(), "--since", "2026-11-03", "--until", "2026-11-01",
                "--out", out.toString());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).isEqualTo("error: --since 2026-11-03T00:00:00Z is not before --until "
                + "2026-11-02T00:00:00Z\n");
        Run keyInline = audit("report", active.toString(), "--key", KEY, "--out", out.toString());
        assertThat(keyInline.exitCode()).isEqualTo(2);
        assertThat(keyInline.err()).doesNotContain(KEY);
        assertThat(out).doesNotExist();
    }
}
