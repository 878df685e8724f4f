package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.portcullis.browser.Browser;
import org.portcullis.browser.BrowserRequirement;
import org.portcullis.fixtures.RawResponse;

/**
 * {@code audit evidence} as an assessor opens it (issue 20): a gateway run as {@code run} wires it signs alice in
 * with a password and a TOTP code and bob with a password alone, a coverage check finds its upstream answering around
 * it, then the evidence pack is written from the config and the trail and rendered by headless Chromium. The page holds
 * no script; its config hash, sealed range (first and last sequence and hash) and sign-in figures are those of the
 * config file and the trail lines themselves; the gaps are stated; the JSON twin says the same.
 */
@ExtendWith(BrowserRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class EvidenceBrowserTest {
    static final Pattern SEQUENCE = Pattern.compile("\"event.sequence\":(\\d+)");
    static final Pattern HASH = Pattern.compile("\"event.hash\":\"([0-9a-f]{64})\"");

    Path dir;
    SignInGateway gateway;
    Browser browser;
    String html;
    String json;
    List<String> trail;
    Path config;

    @BeforeAll
    void makeEvidence(@TempDir Path dir) throws Exception {
        this.dir = dir;
        gateway = SignInGateway.start(dir, Clock.systemUTC(), TotpFlow.POLICY, "");
        TotpFlow flow = new TotpFlow(gateway, Clock.systemUTC());
        String secret = flow.enrol("alice");
        String pending = flow.password("alice", SignInGateway.PASSWORD, "https://app.test:" + gateway.port
                + "/records/1");
        RawResponse verified = flow.submitCode(pending, flow.code(secret));
        assertThat(verified.status()).isEqualTo(303);
        gateway.signIn("bob", SignInGateway.BOB_PASSWORD, "https://app.test:" + gateway.port + "/a");

        config = dir.resolve("portcullis.yaml");
        Path checked = Files.writeString(dir.resolve("checked.yaml"), Files.readString(config)
                + "entry_points:\n  - address: 127.0.0.1:" + gateway.upstream.port() + "\n    scheme: http\n"
                + "    route: app\n");
        int from = gateway.auditLines().size();
        CoverageCheckTest.Run check = CoverageCheckTest.run("coverage", "check", "--config", checked.toString(),
                "--from-here", "--timeout", "2s");
        assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(1);
        assertThat(gateway.awaitAuditLine(from, "coverage.check")).anySatisfy(l -> assertThat(l)
                .contains("coverage.check"));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Path out = dir.resolve("evidence");
        CoverageCheckTest.Run evidence = CoverageCheckTest.run("audit", "evidence", "--config", config.toString(),
                "--period", today + ".." + today, "--out", out.toString());
        assertThat(evidence.exitCode()).as(evidence.out() + evidence.err()).isZero();
        CoverageCheckTest.Run report = CoverageCheckTest.run("audit", "report", "--config", config.toString(),
                "--since", today, "--out", dir.resolve("report.html").toString());
        assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
        trail = gateway.auditLines();
        html = Files.readString(out.resolve("mfa-evidence.html"), StandardCharsets.UTF_8);
        json = Files.readString(out.resolve("mfa-evidence.json"), StandardCharsets.UTF_8);
        browser = Browser.start();
        browser.open(out.resolve("mfa-evidence.html").toUri().toString());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    String text(String id) {
        return browser.driver().findElement(By.id(id)).getText();
    }

    /** The trail lines the pack read: every sealed line written before it was made. */
    List<String> sealedAtEvidence() {
        return trail.stream().filter(l -> l.contains("\"event.hash\"")).toList();
    }

    @Test
    void thePageHoldsNoScriptAtAll() {
        assertThat(html.toLowerCase()).doesNotContain("<script").doesNotContain("javascript:")
                .doesNotContain(" onload=").doesNotContain(" onerror=").contains("default-src 'none'");
        assertThat(browser.driver().findElements(By.tagName("script"))).isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("link, iframe, img[src^='http']"))).isEmpty();
    }

    @Test
    void itNamesTheConfigByItsSha256AndTheTrailByItsFirstAndLastHash() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(config)));
        assertThat(text("config-sha256")).isEqualTo(sha);
        assertThat(trail).anySatisfy(l -> assertThat(l).contains("\"gateway.start\"", sha));

        // the pack was made while the gateway ran; its last line is one the trail held when it was made
        String first = sealedAtEvidence().get(0);
        assertThat(text("first-sequence")).isEqualTo(group(SEQUENCE, first));
        assertThat(text("first-hash")).isEqualTo(group(HASH, first));
        String lastSequence = text("last-sequence");
        String lastLine = sealedAtEvidence().stream().filter(l -> group(SEQUENCE, l).equals(lastSequence))
                .findFirst().orElseThrow();
        assertThat(text("last-hash")).isEqualTo(group(HASH, lastLine));
        assertThat(text("verification")).startsWith("Hash chain intact");
        assertThat(json).contains("\"sha256\":\"" + sha + "\"", "\"hash\":\"" + group(HASH, first) + "\"",
                "\"chain_intact\":true");
    }

    @Test
    void itsSignInFiguresAreTheTrails() {
        long totp = trail.stream().filter(l -> l.contains("\"event.action\":\"factor.verify\"")
                && l.contains("\"event.outcome\":\"success\"") && l.contains("\"event.reason\":\"totp\"")).count();
        long passwordOnly = trail.stream().filter(l -> l.contains("\"event.action\":\"user.sign_in\"")
                && l.contains("\"event.outcome\":\"success\"") && l.contains("\"event.reason\":\"password\"")).count();
        assertThat(totp).isEqualTo(1);
        assertThat(passwordOnly).isEqualTo(1);
        String remote = browser.driver().findElement(By.id("remote-access-mfa")).getText();
        assertThat(remote).contains((totp + passwordOnly) + " sign-ins completed in the period: " + totp
                + " with an authenticator code, 0 with a security key, 0 with a verified passkey, 0 with a recovery "
                + "code, " + passwordOnly + " with a password alone (50.0% with a second factor)");
        assertThat(json).contains("\"password_only\":1", "\"totp\":1");
    }

    @Test
    void theGapsAreStatedPlainly() {
        List<String> remoteGaps = gaps("remote-access-mfa");
        assertThat(remoteGaps).contains(
                "route app: rule public lets requests through with strength none and names no exception",
                "route app: rule signed-in lets requests through with strength weak and names no exception",
                "The config declares no entry points, so no check could try the systems' own addresses.");
        assertThat(remoteGaps).anySatisfy(g -> assertThat(g).startsWith("The last coverage check found entry points "
                + "answering around the gateway: entry_points=1 around_gateway=1: http://127.0.0.1:"));
        assertThat(gaps("exceptions-managed")).contains(
                "Rule public is weaker than two factors on a protected system and names no exception.",
                "access_control.exceptions_required is false: the gateway would accept a weak rule without an "
                        + "exception (it only warns).");
        assertThat(gaps("privileged-access-mfa")).anySatisfy(g -> assertThat(g).startsWith("No rule is limited"));
        assertThat(text("limits")).contains("Systems that are neither behind the gateway nor declared as entry points");
    }

    @Test
    void theAuditReportHasAnMfaCoverageSection() {
        try {
            browser.open(dir.resolve("report.html").toUri().toString());
            List<String> systems = browser.driver().findElements(By.cssSelector("#mfa-systems tbody tr")).stream()
                    .map(r -> String.join(" | ", r.findElements(By.tagName("td")).stream().map(WebElement::getText)
                            .toList())).toList();
            assertThat(systems).contains(
                    "route app app.test/ | public | bypass |  | none |  | paths [/public/**]",
                    "route app app.test/ | records | two_factor | totp, webauthn | better |  | paths [/records/**]",
                    "route app app.test/ | signed-in | one_factor |  | weak |  | every request not matched above");
            assertThat(browser.driver().findElement(By.id("factor-use")).getText())
                    .contains("authenticator code (TOTP) 1 50.0%", "password alone (one factor) 1 50.0%");
            assertThat(text("last-coverage-check")).contains("FAILED (entry_points=1 around_gateway=1: "
                    + "http://127.0.0.1:" + gateway.upstream.port() + " (route app))");
            assertThat(text("exception-register")).isEqualTo("No exceptions are registered.");
        } finally {
            browser.open(dir.resolve("evidence").resolve("mfa-evidence.html").toUri().toString());
        }
    }

    List<String> gaps(String section) {
        return browser.driver().findElements(By.cssSelector("#" + section + " ul.gaps li")).stream()
                .map(WebElement::getText).toList();
    }

    static String group(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m.group(1);
    }
}
