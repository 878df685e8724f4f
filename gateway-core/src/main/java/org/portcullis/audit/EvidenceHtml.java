package org.portcullis.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Renders an {@link EvidencePack} as one self-contained HTML page laid out for a toolkit submission: what it rests on
 * (config SHA-256, sealed trail range with its first and last hash, chain verdict), then per assertion its evidence
 * items with their source and its gaps, then what the evidence does not prove. No script, no external reference,
 * inline CSS only, and a Content Security Policy that forbids scripts in case a bug let one in; every value is escaped
 * ({@link HtmlText}).
 */
public final class EvidenceHtml {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'";
    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:24px auto;\
            max-width:1000px;padding:0 16px}
            h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;\
            padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
            .meta,.asks,.source{color:#57606a}.source{font-size:12px}
            code{overflow-wrap:anywhere;word-break:break-all}
            table{border-collapse:collapse;width:100%;margin:8px 0}
            th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}th{background:#f6f8fa}
            .verdict{padding:10px 14px;border-radius:6px;font-weight:600}
            .ok{background:#dafbe1;border:1px solid #4ac26b}.broken{background:#ffebe9;border:1px solid #ff8182}
            ul.gaps li{color:#cf222e}
            """;

    private EvidenceHtml() {
    }

    public static String render(EvidencePack pack) {
        AuditReport report = pack.report();
        String period = report.since().atZone(ZoneOffset.UTC).toLocalDate() + " to "
                + LocalDate.ofInstant(report.until().minusNanos(1), ZoneOffset.UTC);
        StringBuilder html = new StringBuilder(32 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>MFA evidence ").append(esc(period)).append("</title><style>").append(CSS)
                .append("</style></head><body>\n");
        html.append("<h1>MFA evidence</h1><p class=\"meta\" id=\"period\">Period ").append(esc(period))
                .append(" (UTC). Generated ").append(time(report.generated()))
                .append(" UTC by <code>portcullis audit evidence</code>, only from the config and the sealed audit ")
                .append("trail named below.</p>\n");
        basis(html, pack);
        for (EvidencePack.Assertion assertion : pack.assertions()) {
            assertion(html, assertion);
        }
        html.append("<h2>What this evidence does not prove</h2><ul id=\"limits\">");
        for (String limit : pack.limits()) {
            html.append("<li>").append(esc(limit)).append("</li>");
        }
        html.append("</ul>\n</body></html>\n");
        return html.toString();
    }

    private static void basis(StringBuilder html, EvidencePack pack) {
        AuditReport report = pack.report();
        AuditReport.MfaTrail mfa = report.mfa();
        html.append("<h2>What it rests on</h2><table id=\"basis\"><tbody>")
                .append(row("Config file", "<code>" + esc(String.valueOf(pack.configFile())) + "</code>"))
                .append(row("Config SHA-256", "<code id=\"config-sha256\">" + esc(pack.configSha256()) + "</code>"))
                .append(row("Trail files", files(report.files())))
                .append(row("Sealed lines in the period", "<span id=\"events\">" + report.events() + "</span>"))
                .append(row("First line", mfa.first() == null ? "none" : "sequence <span id=\"first-sequence\">"
                        + mfa.first().sequence() + "</span> at " + time(mfa.first().time()) + " UTC, hash <code "
                        + "id=\"first-hash\">" + esc(mfa.first().hash()) + "</code>"))
                .append(row("Last line", mfa.last() == null ? "none" : "sequence <span id=\"last-sequence\">"
                        + mfa.last().sequence() + "</span> at " + time(mfa.last().time()) + " UTC, hash <code "
                        + "id=\"last-hash\">" + esc(mfa.last().hash()) + "</code>"))
                .append("</tbody></table>");
        if (report.verification() instanceof AuditVerifier.Intact intact) {
            html.append("<p class=\"verdict ok\" id=\"verification\">Hash chain intact: ").append(intact.events())
                    .append(" lines in ").append(intact.files()).append(intact.files() == 1 ? " file" : " files")
                    .append(".</p>\n");
        } else {
            AuditVerifier.Broken broken = (AuditVerifier.Broken) report.verification();
            html.append("<p class=\"verdict broken\" id=\"verification\">Hash chain BROKEN: ")
                    .append(esc(String.valueOf(broken.file().getFileName()))).append(':').append(broken.line())
                    .append(": ").append(esc(broken.kind().label())).append(". The figures below cannot be trusted.")
                    .append("</p>\n");
        }
    }

    private static void assertion(StringBuilder html, EvidencePack.Assertion assertion) {
        html.append("<section id=\"").append(esc(assertion.id())).append("\"><h2>").append(esc(assertion.title()))
                .append("</h2><p class=\"asks\">").append(esc(assertion.asks())).append("</p><h3>Evidence</h3>");
        if (assertion.items().isEmpty()) {
            html.append("<p class=\"none\">None.</p>");
        } else {
            html.append("<table class=\"items\"><thead><tr><th>Item</th><th>Source</th></tr></thead><tbody>");
            for (EvidencePack.Item item : assertion.items()) {
                html.append("<tr><td>").append(esc(item.text())).append("</td><td class=\"source\">")
                        .append(esc(item.source())).append("</td></tr>");
            }
            html.append("</tbody></table>");
        }
        html.append("<h3>Gaps</h3>");
        if (assertion.gaps().isEmpty()) {
            html.append("<p class=\"nogaps\">No gap found in the config or the trail.</p>");
        } else {
            html.append("<ul class=\"gaps\">");
            for (String gap : assertion.gaps()) {
                html.append("<li>").append(esc(gap)).append("</li>");
            }
            html.append("</ul>");
        }
        html.append("</section>\n");
    }

    private static String files(List<java.nio.file.Path> files) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            text.append(i == 0 ? "" : ", ").append("<code>").append(esc(String.valueOf(files.get(i).getFileName())))
                    .append("</code>");
        }
        return files.isEmpty() ? "none" : text.toString();
    }

    private static String row(String name, String valueHtml) {
        return "<tr><th>" + name + "</th><td>" + valueHtml + "</td></tr>";
    }

    private static String esc(String value) {
        return HtmlText.escape(value);
    }

    private static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }
}
