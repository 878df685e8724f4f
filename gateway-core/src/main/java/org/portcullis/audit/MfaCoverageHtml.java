package org.portcullis.audit;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.portcullis.coverage.ExceptionState;
import org.portcullis.coverage.Guard;
import org.portcullis.coverage.MfaCoverage;
import org.portcullis.coverage.ProtectedSystem;

/**
 * The report's "MFA coverage" section: every protected system with its rules, factors and strength (from the
 * config), the share of sign-ins by the factor that completed them (from the trail), the exception register with
 * lapsed entries flagged, and the last {@code coverage check}. Every value is escaped ({@link HtmlText}).
 */
final class MfaCoverageHtml {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private MfaCoverageHtml() {
    }

    static void section(StringBuilder html, AuditReport report) {
        html.append("<h2 id=\"mfa-coverage\">MFA coverage</h2>");
        MfaCoverage coverage = report.coverage();
        if (coverage == null) {
            html.append("<p class=\"none\" id=\"mfa-systems\">Made without <code>--config</code>: the protected systems ")
                    .append("and the exception register come from the config.</p>");
        } else {
            systems(html, coverage.systems());
        }
        factorUse(html, report.mfa().use());
        if (coverage != null) {
            register(html, coverage.register());
        }
        lastCheck(html, report.mfa().lastCoverageCheck());
        html.append('\n');
    }

    static void systems(StringBuilder html, List<ProtectedSystem> systems) {
        html.append("<h3>Protected systems</h3>");
        if (systems.isEmpty()) {
            html.append("<p class=\"none\" id=\"mfa-systems\">The config protects no system.</p>");
            return;
        }
        html.append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Protected systems\">")
                .append("<table id=\"mfa-systems\"><thead><tr><th>System</th><th>Rule</th><th>Policy</th>")
                .append("<th>Factors</th><th>Strength</th><th>Exception</th><th>Applies to</th></tr></thead><tbody>");
        for (ProtectedSystem system : systems) {
            for (Guard guard : system.guards()) {
                html.append("<tr><td>").append(esc(system.ref().toString())).append(" <span class=\"note\">")
                        .append(esc(system.where())).append("</span></td><td>").append(esc(guard.rule()))
                        .append("</td><td>").append(esc(guard.policy().yamlName())).append("</td><td>")
                        .append(esc(String.join(", ", guard.factors()))).append("</td><td")
                        .append(guard.isWeak() ? " class=\"gap\"" : "").append('>')
                        .append(guard.strength() == null ? "- (deny)" : esc(guard.strength().yamlName()))
                        .append("</td><td").append(guard.state().lapsed() ? " class=\"gap\"" : "").append('>')
                        .append(guard.exception() == null ? "" : esc(guard.exception()) + " ("
                                + esc(guard.state().label()) + ")")
                        .append("</td><td>").append(esc(guard.condition().isEmpty() ? "every request not matched above"
                                : guard.condition())).append("</td></tr>");
            }
        }
        html.append("</tbody></table></div><p class=\"note\">Strength: none (no sign-in), weak (a password alone), ")
                .append("better (a second factor that can be phished: authenticator code, recovery code), best ")
                .append("(phishing-resistant: security key or passkey). Rules are listed in the order they are ")
                .append("tried; every rule that might apply to a system is listed.</p>");
    }

    static void factorUse(StringBuilder html, AuditReport.FactorUse use) {
        html.append("<h3>Sign-ins by factor</h3>");
        if (use.total() == 0) {
            html.append("<p class=\"none\" id=\"factor-use\">No completed sign-in in the period.</p>");
            return;
        }
        html.append("<table id=\"factor-use\"><thead><tr><th>Completed with</th><th class=\"n\">Sign-ins</th>")
                .append("<th class=\"n\">Share</th></tr></thead><tbody>");
        row(html, "password alone (one factor)", use.passwordOnly(), use.total());
        row(html, "authenticator code (TOTP)", use.totp(), use.total());
        row(html, "security key (WebAuthn)", use.webauthn(), use.total());
        row(html, "passkey with user verification", use.passkey(), use.total());
        row(html, "recovery code", use.recoveryCodes(), use.total());
        html.append("</tbody></table><p class=\"note\">From <code>user.sign_in</code>, <code>factor.verify</code> and ")
                .append("<code>recovery_code.use</code>. A password-alone sign-in may be followed by a second factor ")
                .append("later in the session, when a two-factor rule asks for it (counted again then).</p>");
    }

    private static void row(StringBuilder html, String label, long count, long total) {
        html.append("<tr><td>").append(label).append("</td><td class=\"n\">").append(count)
                .append("</td><td class=\"n\">").append(percent(count, total)).append("</td></tr>");
    }

    static String percent(long count, long total) {
        return total == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * count / total);
    }

    static void register(StringBuilder html, List<MfaCoverage.RegisterRow> register) {
        html.append("<h3>Exception register</h3>");
        if (register.isEmpty()) {
            html.append("<p class=\"none\" id=\"exception-register\">No exceptions are registered.</p>");
            return;
        }
        html.append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Exception register\">")
                .append("<table id=\"exception-register\"><thead><tr><th>Id</th><th>Reason</th><th>Risk owner</th>")
                .append("<th>Approver</th><th>Approved on</th><th>Review by</th><th>State</th><th>Rules</th></tr>")
                .append("</thead><tbody>");
        for (MfaCoverage.RegisterRow row : register) {
            boolean lapsed = row.state().lapsed();
            html.append("<tr").append(lapsed ? " class=\"lapsed\"" : "").append("><td>").append(esc(row.entry().id()))
                    .append("</td><td>").append(esc(row.entry().reason())).append("</td><td>")
                    .append(esc(row.entry().riskOwner())).append("</td><td>").append(esc(row.entry().approver()))
                    .append("</td><td class=\"t\">").append(row.entry().approvedOn()).append("</td><td class=\"t\">")
                    .append(row.entry().reviewBy()).append("</td><td")
                    .append(lapsed || row.state() == ExceptionState.REVIEW_DUE ? " class=\"gap\"" : "").append('>')
                    .append(esc(row.state().label())).append("</td><td>").append(esc(String.join(", ", row.rules())))
                    .append("</td></tr>");
        }
        html.append("</tbody></table></div>");
    }

    static void lastCheck(StringBuilder html, AuditReport.Change check) {
        html.append("<h3>Last coverage check</h3>");
        if (check == null) {
            html.append("<p class=\"none\" id=\"last-coverage-check\">No <code>coverage check --from-here</code> ")
                    .append("is in the trail up to the end of the period.</p>");
            return;
        }
        boolean passed = "success".equals(check.outcome());
        html.append("<p id=\"last-coverage-check\"").append(passed ? "" : " class=\"gap\"").append('>')
                .append(TIME.format(check.time())).append(" UTC: ").append(passed ? "passed" : "FAILED")
                .append(" (").append(esc(check.detail())).append(")</p>");
    }

    private static String esc(String value) {
        return HtmlText.escape(value);
    }
}
