package org.portcullis.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.portcullis.config.AuditConfig;
import org.portcullis.fixtures.MutableClock;

/**
 * A trail with known events for the report tests, written through the real sink (daily rotation, gzip) with a clock
 * the test sets: October 30 (before the period: alice's usual network), November 1 to 6 (the period), November 7
 * (after it). One restart on November 2 finds a torn last line and writes {@code audit.recovered}.
 */
final class ReportTrail {
    static final Instant SINCE = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2026-11-07T00:00:00Z");
    static final String SCRIPT_USER = "<script>window.pwned=1</script>";
    static final String IMG_USER = "\"><img src=x onerror=\"window.pwned=2\">\u202Egpj.exe";

    final Path active;
    private final AuditConfig config;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-10-30T08:00:00Z"));
    private JsonLinesAuditSink sink;

    ReportTrail(Path dir) {
        this.active = dir.resolve("audit.jsonl");
        this.config = new AuditConfig(active, true, AuditTrailFiles.KEY, AuditConfig.Rotation.DAILY, 0, true,
                AuditConfig.Flush.EVERY_EVENT, java.time.Duration.ofSeconds(1));
    }

    List<Path> files() throws IOException {
        return AuditFiles.trail(active);
    }

    ReportTrail write() throws IOException {
        sink = JsonLinesAuditSink.open(config, clock);
        at("2026-10-30T08:00:00Z", signIn("user.sign_in", true, "password", "alice", "10.1.2.3", null));

        at("2026-11-01T08:00:00Z", signIn("user.sign_in", true, "password", "alice", "10.1.2.50", null));
        at("2026-11-01T08:00:05Z", signIn("factor.verify", true, "totp", "alice", "10.1.2.50", null));
        at("2026-11-01T09:00:00Z", signIn("user.sign_in", false, "wrong_password", "bob", "192.0.2.7", null));
        at("2026-11-01T09:00:10Z", signIn("user.sign_in", false, "wrong_password", "bob", "192.0.2.7", null));
        at("2026-11-01T09:00:10Z", signIn("user.lockout", false, "account", "bob", "192.0.2.7", null));
        at("2026-11-01T10:00:00Z", signIn("user.sign_in", true, "password", "carol", "198.51.100.9", null));

        at("2026-11-02T07:00:00Z", signIn("user.sign_in", true, "password", "alice", "203.0.113.5", null));
        at("2026-11-02T07:00:30Z", signIn("factor.replay", false, "replay", "alice", "203.0.113.5", null));
        at("2026-11-02T07:00:45Z", signIn("factor.verify", true, "totp", "alice", "203.0.113.5", null));
        for (int i = 0; i < 3; i++) {
            at("2026-11-02T07:01:0" + i + "Z", new AccessDecision(AuditOutcome.SUCCESS, "FORWARDED", "alice",
                    "203.0.113.5", "records.example.org", "GET", "/patients/" + i, "records", "clinicians",
                    "1f3870be", "00000000000000a" + i, 200));
        }
        at("2026-11-02T07:02:00Z", signIn("session.join", true, "callback", "alice", "203.0.113.5",
                "mail.example.org"));
        sink.close();
        // the process dies in the middle of a write; the restart keeps the fragment and records audit.recovered
        Files.writeString(active, "{\"@timestamp\":\"2026-11-02T07:03", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        clock.set(Instant.parse("2026-11-02T07:05:00Z"));
        sink = JsonLinesAuditSink.open(config, clock);

        at("2026-11-04T12:00:00Z", signIn("user.sign_in", false, "unknown_user", SCRIPT_USER, "192.0.2.66", null));
        at("2026-11-04T12:00:01Z", signIn("user.sign_in", false, "unknown_user", IMG_USER, "192.0.2.66", null));
        at("2026-11-04T13:00:00Z", signIn("invitation.redeem", true, "invitation", "bob", "192.0.2.7", null));
        at("2026-11-04T13:00:10Z", signIn("factor.enrol", true, "confirmed_first", "bob", "192.0.2.7", null));
        at("2026-11-04T13:01:00Z", signIn("recovery_code.use", true, "remaining_9", "bob", "192.0.2.7", null));
        at("2026-11-04T14:00:00Z", new AdminCommand(Instant.parse("2026-11-04T13:59:59Z"), "users.unlock",
                AuditOutcome.SUCCESS, "root", "bob", "counters_cleared=1"));
        at("2026-11-04T15:00:00Z", signIn("factor.verify", false, "wrong_code", "alice", "10.1.2.50", null));

        at("2026-11-05T08:00:00Z", signIn("user.sign_in", true, "password", "dave", "2001:db8:1:2::10", null));
        at("2026-11-05T09:00:00Z", signIn("user.sign_in", true, "password", "dave", "2001:db8:1:2::99", null));
        at("2026-11-05T10:00:00Z", signIn("user.sign_in", true, "password", "dave", "2001:db8:9::1", null));

        at("2026-11-06T11:00:00Z", signIn("factor.clone_suspected", false, "counter_went_back", "alice",
                "10.1.2.50", null));
        at("2026-11-07T00:00:00Z", signIn("user.sign_in", true, "password", "erin", "10.9.9.9", null));
        sink.close();
        return this;
    }

    private void at(String time, AuditEvent event) {
        clock.set(Instant.parse(time));
        sink.record(event);
    }

    static SignInEvent signIn(String action, boolean success, String reason, String user, String ip, String host) {
        return new SignInEvent(action, success ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, reason, user, ip,
                host == null ? "login.example.org" : host, null, "5d41402abc4b4965");
    }
}
