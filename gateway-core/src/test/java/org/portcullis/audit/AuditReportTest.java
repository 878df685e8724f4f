package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.AuditConfig;
import org.portcullis.fixtures.MutableClock;

/** The report's building blocks without a browser: escaping, networks, bounded tables. */
class AuditReportTest {
    @TempDir
    Path dir;

    @Test
    void escapingLeavesNoMarkupAndShowsHiddenCharacters() {
        assertThat(HtmlText.escape("<a href='x' title=\"y\">&amp;</a>"))
                .isEqualTo("&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;amp;&lt;/a&gt;");
        assertThat(HtmlText.escape("admin\u202Etxt.exe\nnext\u0000"))
                .isEqualTo("admin\\u202etxt.exe\\u000anext\\u0000");
        assertThat(HtmlText.escape(null)).isEmpty();
    }

    @Test
    void networksAreTheIpv4Slash24AndTheIpv6Slash64AndNamesAreNotResolved() {
        assertThat(SignInNetwork.of("10.1.2.3")).isEqualTo("10.1.2.0/24");
        assertThat(SignInNetwork.of("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(SignInNetwork.of("localhost")).isNull();
        assertThat(SignInNetwork.of("10.0.0.0/8")).isNull();
        assertThat(SignInNetwork.of(null)).isNull();
    }

    @Test
    void aFloodOfEventsKeepsEachTableBoundedAndSaysHowManyWereLeftOut() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T08:00:00Z"));
        int lockouts = AuditReport.MAX_ROWS + 20;
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(AuditTrailFiles.config(file,
                AuditConfig.Rotation.NEVER, 0, false), clock)) {
            for (int i = 0; i < lockouts; i++) {
                sink.record(ReportTrail.signIn("user.lockout", false, "account", "user" + i, "192.0.2.7", null));
            }
        }
        AuditReport report = AuditReport.read(AuditFiles.trail(file), Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-02T00:00:00Z"), AuditKey.fromText(AuditTrailFiles.KEY), clock.instant());

        assertThat(report.suspicious().rows()).hasSize(AuditReport.MAX_ROWS);
        assertThat(report.suspicious().omitted()).isEqualTo(20);
        assertThat(report.failuresByUser().rows()).hasSize(AuditReport.MAX_ROWS);
        assertThat(report.failuresByUser().omitted()).isEqualTo(20);
        assertThat(report.failuresByAddress().rows()).singleElement()
                .isEqualTo(new AuditReport.Failures("192.0.2.7", 0, 0, lockouts));
        assertThat(report.totals().lockouts()).isEqualTo(lockouts);
        assertThat(AuditReportHtml.render(report)).contains("20 more rows not shown (at most 500)");
    }

    @Test
    void chartTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgBarChart.tickStep(0)).isEqualTo(1);
        assertThat(SvgBarChart.tickStep(4)).isEqualTo(1);
        assertThat(SvgBarChart.tickStep(7)).isEqualTo(2);
        assertThat(SvgBarChart.tickStep(19)).isEqualTo(5);
        assertThat(SvgBarChart.tickStep(3999)).isEqualTo(1000);
    }
}
