package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserRequirement;

/**
 * The HTML report as an auditor sees it: rendered by headless Chromium from a {@code file://} URL, the figures it shows
 * (bar labels, table rows, the chain verdict) match the events written to the trail ({@link ReportTrail}), and the
 * user names an attacker typed show as text and run nothing. Saves a screenshot to {@code target/audit-report.png}, and
 * to {@code docs/audit-report.png} with {@code -Dportcullis.docs.screenshots=true}.
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AuditReportBrowserTest {
    private static final Path DOCS_SCREENSHOT = Path.of("..", "docs", "audit-report.png");
    private static final int MAX_SCREENSHOT_HEIGHT = 4000;

    @TempDir
    static Path dir;

    private Browser browser;
    private Path html;

    @BeforeAll
    void renderReport() throws Exception {
        ReportTrail trail = new ReportTrail(dir).write();
        AuditReport report = AuditReport.read(trail.files(), ReportTrail.SINCE, ReportTrail.UNTIL,
                AuditKey.fromText(AuditTrailFiles.KEY), Instant.parse("2026-11-07T09:30:00Z"));
        html = dir.resolve("report.html");
        Files.writeString(html, AuditReportHtml.render(report), StandardCharsets.UTF_8);
        browser = Browser.start();
        browser.open(html.toUri().toString());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private List<String> rows(String tableId) {
        List<String> rows = new ArrayList<>();
        for (WebElement row : browser.driver().findElements(By.cssSelector("#" + tableId + " tbody tr"))) {
            rows.add(String.join(" | ", row.findElements(By.tagName("td")).stream().map(WebElement::getText)
                    .toList()));
        }
        return rows;
    }

    private List<String> barLabels(int chart) {
        WebElement svg = browser.driver().findElements(By.cssSelector("svg.chart")).get(chart);
        return svg.findElements(By.tagName("rect")).stream().map(r -> r.getDomAttribute("aria-label")).toList();
    }

    @Test
    void signInsPerDayChartShowsEachDaysCounts() {
        assertThat(barLabels(0)).containsExactly(
                "2026-11-01: 2 sign-ins succeeded", "2026-11-01: 2 sign-ins failed",
                "2026-11-02: 1 sign-ins succeeded", "2026-11-02: 0 sign-ins failed",
                "2026-11-03: 0 sign-ins succeeded", "2026-11-03: 0 sign-ins failed",
                "2026-11-04: 0 sign-ins succeeded", "2026-11-04: 2 sign-ins failed",
                "2026-11-05: 3 sign-ins succeeded", "2026-11-05: 0 sign-ins failed",
                "2026-11-06: 0 sign-ins succeeded", "2026-11-06: 0 sign-ins failed");
        // the figures are printed on the bars too, not only in labels
        WebElement svg = browser.driver().findElements(By.cssSelector("svg.chart")).get(0);
        assertThat(svg.findElements(By.cssSelector("text.value")).stream().map(WebElement::getText).toList())
                .containsExactly("2", "2", "1", "2", "3");
    }

    @Test
    void secondFactorChartCountsCodesAndRecoveryCodes() {
        assertThat(barLabels(1)).containsExactly(
                "2026-11-01: 1 authenticator codes accepted", "2026-11-01: 0 recovery codes used",
                "2026-11-02: 1 authenticator codes accepted", "2026-11-02: 0 recovery codes used",
                "2026-11-03: 0 authenticator codes accepted", "2026-11-03: 0 recovery codes used",
                "2026-11-04: 0 authenticator codes accepted", "2026-11-04: 1 recovery codes used",
                "2026-11-05: 0 authenticator codes accepted", "2026-11-05: 0 recovery codes used",
                "2026-11-06: 0 authenticator codes accepted", "2026-11-06: 0 recovery codes used");
    }

    @Test
    void totalsAndChainVerdict() {
        assertThat(browser.driver().findElement(By.id("totals")).getText().replace('\n', ' ')).isEqualTo(
                "Sign-ins succeeded 6 Sign-ins failed 4 Second factors used 3 Second factors refused 2 Lockouts 1 "
                        + "Suspicious events 6");
        // every file that may hold a line of the period: October 30's (its name cannot tell it ends before
        // November 1) to the active file (November 7's, unnamed by day)
        assertThat(browser.driver().findElement(By.id("verification")).getText()).isEqualTo(
                "OK: 27 events in 7 files, sequence 1 to 27 (from the start of the trail), 1 torn line recovered "
                        + "after a crash.");
        assertThat(browser.driver().findElement(By.id("period")).getText()).startsWith(
                "From 2026-11-01 00:00:00 to 2026-11-07 00:00:00 UTC (end excluded).").contains(
                "25 events in the period; 1 lines were not audit lines");
    }

    @Test
    void failuresAndLockoutsByUserAndByAddress() {
        assertThat(rows("failures-by-user")).containsExactly(
                "bob | 2 | 0 | 1 | 3",
                "alice | 0 | 2 | 0 | 2",
                ReportTrail.IMG_USER.replace("\u202E", "\\u202e") + " | 1 | 0 | 0 | 1",
                ReportTrail.SCRIPT_USER + " | 1 | 0 | 0 | 1");
        assertThat(rows("failures-by-address")).containsExactly(
                "192.0.2.7 | 2 | 0 | 1 | 3",
                "192.0.2.66 | 2 | 0 | 0 | 2",
                "10.1.2.50 | 0 | 1 | 0 | 1",
                "203.0.113.5 | 0 | 1 | 0 | 1");
    }

    @Test
    void suspiciousEventsIncludeNewNetworksButNotAFirstSignInOrTheSameSubnet() {
        assertThat(rows("suspicious")).containsExactly(
                "2026-11-01 09:00:10 | lockout | bob | 192.0.2.7 | login.example.org | account",
                "2026-11-02 07:00:00 | sign-in from a new network | alice | 203.0.113.5 | login.example.org | "
                        + "203.0.113.0/24 (before: 10.1.2.0/24)",
                "2026-11-02 07:00:30 | replayed second-factor code | alice | 203.0.113.5 | login.example.org | replay",
                "2026-11-02 07:05:00 | audit trail recovered after a crash |  |  |  | 31 bytes cut short in "
                        + dir.resolve("audit.jsonl"),
                "2026-11-05 10:00:00 | sign-in from a new network | dave | 2001:db8:9::1 | login.example.org | "
                        + "2001:db8:9:0:0:0:0:0/64 (before: 2001:db8:1:2:0:0:0:0/64)",
                "2026-11-06 11:00:00 | suspected cloned authenticator | alice | 10.1.2.50 | login.example.org | "
                        + "counter_went_back");
    }

    @Test
    void whoReachedWhichSystemsEnrolmentsAndAdminCommands() {
        assertThat(rows("reach")).containsExactly(
                "alice | mail.example.org | 0 | 1 | 2026-11-02 07:02:00 | 2026-11-02 07:02:00",
                "alice | records.example.org | 3 | 0 | 2026-11-02 07:01:00 | 2026-11-02 07:01:02");
        assertThat(rows("enrolments")).containsExactly(
                "2026-11-04 13:00:00 | invitation.redeem | success | invitation | bob | 192.0.2.7",
                "2026-11-04 13:00:10 | factor.enrol | success | confirmed_first | bob | 192.0.2.7");
        assertThat(rows("admin")).containsExactly(
                "2026-11-04 14:00:00 | admin.command | success | users.unlock | root | bob | counters_cleared=1");
    }

    @Test
    void attackerTypedUserNamesAreTextAndNothingRunsOrLoads() {
        assertThat(browser.script("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.script("return document.querySelectorAll('script, img, link, iframe, object, embed, "
                + "[src], [href], [onerror]').length")).isEqualTo(0L);
        assertThat(browser.pageText()).contains(ReportTrail.SCRIPT_USER);
    }

    /** Issue 15: on a phone the page is no wider than the screen; wide tables scroll inside their own box. */
    @Test
    void fitsAPhoneScreenWithoutSidewaysScrolling() {
        Dimension before = browser.driver().manage().window().getSize();
        try {
            browser.driver().manage().window().setSize(new Dimension(390, 844));
            Number inner = (Number) browser.script("return window.innerWidth");
            Number width = (Number) browser.script("return document.documentElement.scrollWidth");
            assertThat(inner.intValue()).isLessThanOrEqualTo(390);
            Object wide = browser.script("const w = document.documentElement.clientWidth;"
                    + " return Array.from(document.querySelectorAll('body *')).filter(e =>"
                    + " e.getBoundingClientRect().right > w + 0.5 && !e.closest('.scroll'))"
                    + ".slice(0, 5).map(e => e.tagName + '#' + e.id + ' '"
                    + " + Math.round(e.getBoundingClientRect().right))"
                    + ".join(', ')");
            assertThat(width.intValue()).as("document width at a 390 px window; too wide: %s", wide)
                    .isLessThanOrEqualTo(inner.intValue());
        } finally {
            browser.driver().manage().window().setSize(before);
        }
    }

    @Test
    void screenshotForTheDocs() throws Exception {
        Number height = (Number) browser.script("return document.documentElement.scrollHeight");
        browser.driver().manage().window().setSize(new Dimension(1100,
                Math.min(MAX_SCREENSHOT_HEIGHT, height.intValue() + 140)));
        byte[] png = browser.driver().getScreenshotAs(OutputType.BYTES);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        Path target = Files.write(Path.of("target", "audit-report.png"), png);
        if (Boolean.getBoolean("portcullis.docs.screenshots")) {
            Files.copy(target, DOCS_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
