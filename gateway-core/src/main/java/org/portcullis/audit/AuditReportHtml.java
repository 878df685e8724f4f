package org.portcullis.audit;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Renders an {@link AuditReport} as one self-contained HTML page for auditors: inline CSS, inline SVG charts
 * ({@link SvgBarChart}), no script, no external reference (it can be mailed, archived and opened offline). Every value
 * from the trail is escaped ({@link HtmlText}); as a second line of defence the page's Content Security Policy
 * ({@code default-src 'none'}, W3C CSP Level 3) stops any script or remote fetch a bug might let through.
 */
public final class AuditReportHtml {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:24px auto;\
            max-width:1000px;padding:0 16px}
            h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;\
            padding-bottom:4px}
            .meta{color:#57606a;margin:0 0 16px}
            .verdict{padding:10px 14px;border-radius:6px;font-weight:600}
            .ok{background:#dafbe1;border:1px solid #4ac26b}.broken{background:#ffebe9;border:1px solid #ff8182}
            dl.totals{display:grid;grid-template-columns:repeat(6,1fr);gap:8px;margin:16px 0}
            dl.totals div{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px}
            dl.totals dt{color:#57606a;font-size:12px}dl.totals dd{margin:0;font-size:22px;font-weight:600}
            table{border-collapse:collapse;width:100%;margin:8px 0}
            .scroll{overflow-x:auto;max-width:100%}code{overflow-wrap:anywhere;word-break:break-all}
            @media (max-width:640px){body{margin:12px auto}dl.totals{grid-template-columns:repeat(2,1fr)}}
            th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
            th{background:#f6f8fa}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            td{overflow-wrap:break-word}td.t{white-space:nowrap}td.k,td:last-child{overflow-wrap:anywhere}
            .none{color:#57606a;font-style:italic}.note{color:#57606a;font-size:12px}
            .gap{color:#cf222e;font-weight:600}
            svg.chart{max-width:100%;height:auto;display:block}
            svg .grid{stroke:#eaeef2}svg .baseline{stroke:#57606a}
            svg .axis,svg .value{font-size:10px;fill:#57606a}
            .succeeded{fill:#2da44e}.failed{fill:#cf222e}.totp{fill:#0969da}.recovery{fill:#bf8700}
            .legend span{display:inline-block;margin-right:16px}
            .legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
            i.succeeded{background:#2da44e}i.failed{background:#cf222e}i.totp{background:#0969da}\
            i.recovery{background:#bf8700}
            """;

    private AuditReportHtml() {
    }

    public static void write(AuditReport report, Writer out) throws IOException {
        out.write(render(report));
        out.flush();
    }

    public static String render(AuditReport report) {
        StringBuilder html = new StringBuilder(64 * 1024);
        String period = day(report.since()) + " to " + lastDay(report.until());
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Portcullis audit report ").append(esc(period)).append("</title><style>").append(CSS)
                .append("</style></head><body>\n");
        html.append("<h1>Portcullis audit report</h1><p class=\"meta\" id=\"period\">From ")
                .append(time(report.since())).append(" to ").append(time(report.until()))
                .append(" UTC (end excluded). Generated ").append(time(report.generated())).append(" UTC from ")
                .append(report.files().size()).append(report.files().size() == 1 ? " file" : " files").append(", ")
                .append(report.events()).append(report.events() == 1 ? " event" : " events").append(" in the period")
                .append(report.skipped() > 0 ? "; " + report.skipped() + " lines were not audit lines" : "")
                .append(".</p>\n");
        if (report.clustered()) {
            nodeVerifications(html, report.nodes());
        } else {
            verification(html, report);
        }
        totals(html, report.totals());
        charts(html, report.days());
        failures(html, "Failures and lockouts by user", "failures-by-user", "User", report.failuresByUser());
        failures(html, "Failures and lockouts by address", "failures-by-address", "Address",
                report.failuresByAddress());
        suspicious(html, report.suspicious(), report.clustered());
        reach(html, report.reach());
        MfaCoverageHtml.section(html, report);
        remote(html, report.remote(), report.clustered());
        changes(html, "Enrolments and resets", "enrolments", report.enrolments(), false, report.clustered());
        changes(html, "Admin commands and config reloads", "admin", report.adminActions(), true,
                report.clustered());
        html.append("<p class=\"note\">Made by <code>portcullis audit report</code>. The trail is the record: ")
                .append("<code>portcullis audit query</code> lists the events behind every figure.</p>\n")
                .append("</body></html>\n");
        return html.toString();
    }

    private static void verification(StringBuilder html, AuditReport report) {
        html.append("<h2>Chain verification</h2>");
        if (report.verification() instanceof AuditVerifier.Intact intact) {
            html.append("<p class=\"verdict ok\" id=\"verification\">OK: ").append(intact.events())
                    .append(intact.events() == 1 ? " event" : " events").append(" in ").append(intact.files())
                    .append(intact.files() == 1 ? " file" : " files");
            if (intact.events() > 0) {
                html.append(", sequence ").append(intact.firstSequence()).append(" to ")
                        .append(intact.lastSequence());
                html.append(intact.fromStart() ? " (from the start of the trail)"
                        : " (the link to earlier files is not checked)");
            }
            if (intact.recovered() > 0) {
                html.append(", ").append(intact.recovered())
                        .append(intact.recovered() == 1 ? " torn line" : " torn lines")
                        .append(" recovered after a crash");
            }
            html.append(".</p>");
            if (intact.lastHash() != null) {
                html.append("<p class=\"note\">Last hash <code>").append(esc(intact.lastHash()))
                        .append("</code>: note it; lines removed from the end later leave a shorter valid chain, and")
                        .append(" only this value shows that.</p>");
            }
        } else {
            AuditVerifier.Broken broken = (AuditVerifier.Broken) report.verification();
            html.append("<p class=\"verdict broken\" id=\"verification\">BROKEN: ")
                    .append(esc(String.valueOf(broken.file()))).append(':').append(broken.line()).append(": ")
                    .append(esc(broken.kind().label())).append(": ").append(esc(broken.detail()))
                    .append("</p><p>The trail was changed after it was written: the figures below are what the ")
                    .append("files hold now and cannot be trusted as the record.</p>");
        }
        html.append("<p class=\"note\">Files checked: ");
        List<Path> files = report.files();
        for (int i = 0; i < files.size(); i++) {
            html.append(i == 0 ? "" : ", ").append("<code>").append(esc(String.valueOf(files.get(i).getFileName())))
                    .append("</code>");
        }
        html.append(files.isEmpty() ? "none (no file holds the period)" : "").append(".</p>\n");
    }

    /**
     * Several nodes' trails: one verdict per node, since each node seals its own chain; a broken one names its node,
     * file and line, and the figures below cannot then be trusted as the record.
     */
    private static void nodeVerifications(StringBuilder html, List<AuditReport.NodeCheck> nodes) {
        html.append("<h2>Chain verification</h2><p class=\"note\">").append(nodes.size())
                .append(" nodes' trails, each chain verified on its own (each node seals its own); the figures below")
                .append(" merge their events by time.</p><ul id=\"verification\">");
        boolean broken = false;
        for (AuditReport.NodeCheck check : nodes) {
            html.append("<li class=\"verdict ").append(check.verification() instanceof AuditVerifier.Intact
                    ? "ok" : "broken").append("\" data-node=\"").append(esc(check.node())).append("\">Node <code>")
                    .append(esc(check.node())).append("</code>: ");
            if (check.verification() instanceof AuditVerifier.Intact intact) {
                html.append("OK: ").append(intact.events()).append(intact.events() == 1 ? " event" : " events")
                        .append(" in ").append(intact.files()).append(intact.files() == 1 ? " file" : " files");
                if (intact.events() > 0) {
                    html.append(", sequence ").append(intact.firstSequence()).append(" to ")
                            .append(intact.lastSequence());
                }
                if (intact.lastHash() != null) {
                    html.append(", last hash <code>").append(esc(intact.lastHash())).append("</code>");
                }
            } else {
                AuditVerifier.Broken failed = (AuditVerifier.Broken) check.verification();
                broken = true;
                html.append("BROKEN: ").append(esc(String.valueOf(failed.file()))).append(':').append(failed.line())
                        .append(": ").append(esc(failed.kind().label())).append(": ").append(esc(failed.detail()));
            }
            html.append(". Files: ");
            for (int i = 0; i < check.files().size(); i++) {
                html.append(i == 0 ? "" : ", ").append("<code>")
                        .append(esc(String.valueOf(check.files().get(i).getFileName()))).append("</code>");
            }
            html.append(check.files().isEmpty() ? "none (no file holds the period)" : "").append(".</li>");
        }
        html.append("</ul>");
        if (broken) {
            html.append("<p>A trail was changed after it was written: the figures below are what the files hold now ")
                    .append("and cannot be trusted as the record.</p>");
        }
        html.append('\n');
    }

    private static void totals(StringBuilder html, AuditReport.Totals totals) {
        html.append("<dl class=\"totals\" id=\"totals\">");
        total(html, "Sign-ins succeeded", totals.signInsSucceeded());
        total(html, "Sign-ins failed", totals.signInsFailed());
        total(html, "Second factors used", totals.secondFactors());
        total(html, "Second factors refused", totals.failedSecondFactors());
        total(html, "Lockouts", totals.lockouts());
        total(html, "Suspicious events", totals.suspicious());
        html.append("</dl>\n");
    }

    private static void total(StringBuilder html, String name, long value) {
        html.append("<div><dt>").append(name).append("</dt><dd>").append(value).append("</dd></div>");
    }

    private static void charts(StringBuilder html, List<AuditReport.Day> days) {
        List<LocalDate> dates = days.stream().map(AuditReport.Day::day).toList();
        html.append("<h2>Sign-ins per day</h2><p class=\"legend\"><span><i class=\"succeeded\"></i>succeeded</span>")
                .append("<span><i class=\"failed\"></i>failed</span></p>")
                .append(SvgBarChart.render("Sign-ins per day (UTC)", dates, List.of(
                        new SvgBarChart.Series("succeeded", "%d sign-ins succeeded", "succeeded",
                                values(days, AuditReport.Day::signInsSucceeded)),
                        new SvgBarChart.Series("failed", "%d sign-ins failed", "failed",
                                values(days, AuditReport.Day::signInsFailed)))))
                .append('\n');
        html.append("<h2>Second-factor use per day</h2><p class=\"legend\"><span><i class=\"totp\"></i>")
                .append("authenticator code (TOTP)</span><span><i class=\"recovery\"></i>recovery code</span></p>")
                .append(SvgBarChart.render("Second factors used per day (UTC)", dates, List.of(
                        new SvgBarChart.Series("totp", "%d authenticator codes accepted", "totp",
                                values(days, AuditReport.Day::totp)),
                        new SvgBarChart.Series("recovery", "%d recovery codes used", "recovery",
                                values(days, AuditReport.Day::recoveryCodes)))))
                .append('\n');
    }

    private static long[] values(List<AuditReport.Day> days, java.util.function.ToLongFunction<AuditReport.Day> f) {
        return days.stream().mapToLong(f).toArray();
    }

    private static void failures(StringBuilder html, String title, String id, String keyName,
                                 AuditReport.Table<AuditReport.Failures> table) {
        html.append("<h2>").append(title).append("</h2>");
        if (table.rows().isEmpty()) {
            html.append("<p class=\"none\" id=\"").append(id).append("\">None in the period.</p>\n");
            return;
        }
        html.append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"").append(title)
                .append("\"><table id=\"").append(id).append("\"><thead><tr><th>").append(keyName)
                .append("</th><th class=\"n\">Failed sign-ins</th><th class=\"n\">Refused second factors</th>")
                .append("<th class=\"n\">Lockouts</th><th class=\"n\">Total</th></tr></thead><tbody>");
        for (AuditReport.Failures row : table.rows()) {
            html.append("<tr><td class=\"k\">").append(row.key() == null ? "<span class=\"none\">none recorded</span>"
                    : esc(row.key())).append("</td>").append(number(row.signIns())).append(number(row.secondFactors()))
                    .append(number(row.lockouts())).append(number(row.total())).append("</tr>");
        }
        html.append("</tbody></table></div>");
        omitted(html, table.omitted());
    }

    private static void suspicious(StringBuilder html, AuditReport.Table<AuditReport.Suspicious> table,
                                   boolean clustered) {
        html.append("<h2>Suspicious events</h2><p class=\"note\">Replayed second-factor codes, suspected cloned ")
                .append("authenticators, lockouts, successful sign-ins from a network (IPv4 /24, IPv6 /64) the user ")
                .append("had not signed in from before in the trail (a user's first sign-in is not flagged), and ")
                .append("crash recoveries of the trail.</p>");
        rows(html, "suspicious", table, withNode(clustered, List.of("Time (UTC)", "What", "User", "Source", "Host",
                        "Detail")),
                row -> withNode(clustered ? esc(row.node()) : null, List.of(time(row.time()), esc(row.kind().label()),
                        esc(row.user()), esc(row.source()), esc(row.host()), esc(row.detail()))));
    }

    private static void reach(StringBuilder html, AuditReport.Table<AuditReport.Reach> table) {
        html.append("<h2>Who reached which systems</h2><p class=\"note\">Allowed requests are in the trail only with ")
                .append("<code>audit.log_allowed: true</code>; single sign-on joins (a session made for the host) ")
                .append("always are.</p>");
        if (table.rows().isEmpty()) {
            html.append("<p class=\"none\" id=\"reach\">None in the period.</p>\n");
            return;
        }
        html.append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Who reached which systems")
                .append("\"><table id=\"reach\"><thead><tr><th>User</th><th>System (host)</th><th class=\"n\">Allowed ")
                .append("requests</th><th class=\"n\">Sign-on joins</th><th>First (UTC)</th><th>Last (UTC)</th></tr>")
                .append("</thead><tbody>");
        for (AuditReport.Reach row : table.rows()) {
            html.append("<tr><td>").append(esc(row.user())).append("</td><td>").append(esc(row.host()))
                    .append("</td>").append(number(row.requests())).append(number(row.joins()))
                    .append("<td class=\"t\">").append(time(row.first())).append("</td><td class=\"t\">").append(time(row.last()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table></div>");
        omitted(html, table.omitted());
    }

    private static void remote(StringBuilder html, AuditReport.Table<AuditReport.Remote> table, boolean clustered) {
        html.append("<h2>Remote connections</h2><p class=\"note\">Who had a desktop or tunnel open, when, how long, ")
                .append("and why it ended (<code>remote.close</code>). Bytes: client to target / target to client.</p>");
        rows(html, "remote", table, withNode(clustered, List.of("Opened (UTC)", "Closed (UTC)", "User", "Kind",
                "Target", "Source", "Session", "Factors", "Duration (s)", "Bytes in", "Bytes out", "Ended by")),
                row -> withNode(clustered ? esc(row.node()) : null, List.of(
                time(row.opened()), time(row.closed()), esc(row.user()), esc(row.kind()), esc(row.target()),
                esc(row.source()), esc(row.session()), esc(row.factors()), Long.toString(row.durationSeconds()),
                Long.toString(row.bytesFromClient()), Long.toString(row.bytesToClient()), esc(row.reason()))));
    }

    private static void changes(StringBuilder html, String title, String id, AuditReport.Table<AuditReport.Change> t,
                                boolean admin, boolean clustered) {
        html.append("<h2>").append(title).append("</h2>");
        List<String> headings = admin
                ? List.of("Time (UTC)", "Action", "Outcome", "What", "By", "On", "Detail")
                : List.of("Time (UTC)", "Action", "Outcome", "Reason", "User", "Source");
        rows(html, id, t, withNode(clustered, headings), row -> withNode(clustered ? esc(row.node()) : null, admin
                ? List.of(time(row.time()), esc(row.action()), esc(row.outcome()), esc(row.reason()), esc(row.user()),
                esc(row.target()), esc(row.detail()))
                : List.of(time(row.time()), esc(row.action()), esc(row.outcome()), esc(row.reason()), esc(row.user()),
                esc(row.source()))));
    }

    /** The headings with a "Node" column after the time, when the report merges several nodes' trails. */
    private static List<String> withNode(boolean clustered, List<String> headings) {
        return withNode(clustered ? "Node" : null, headings);
    }

    /** The cells with {@code node} after the time (the first cell), unless it is null (one trail). */
    private static List<String> withNode(String node, List<String> cells) {
        if (node == null) {
            return cells;
        }
        List<String> out = new java.util.ArrayList<>(cells);
        out.add(1, node);
        return out;
    }

    /** A table whose cells are already escaped. */
    private static <T> void rows(StringBuilder html, String id, AuditReport.Table<T> table, List<String> headings,
                                 Function<T, List<String>> cells) {
        if (table.rows().isEmpty()) {
            html.append("<p class=\"none\" id=\"").append(id).append("\">None in the period.</p>\n");
            return;
        }
        html.append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"").append(id)
                .append("\"><table id=\"").append(id).append("\"><thead><tr>");
        headings.forEach(h -> html.append("<th>").append(h).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (T row : table.rows()) {
            html.append("<tr>");
            List<String> values = cells.apply(row);
            for (int i = 0; i < values.size(); i++) {
                // the first column of these tables is the time: never broken across lines
                html.append(i == 0 ? "<td class=\"t\">" : "<td>").append(values.get(i)).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table></div>");
        omitted(html, table.omitted());
    }

    private static void omitted(StringBuilder html, long omitted) {
        if (omitted > 0) {
            html.append("<p class=\"note\">").append(omitted).append(" more rows not shown (at most ")
                    .append(AuditReport.MAX_ROWS).append("); <code>portcullis audit query</code> lists them.</p>");
        }
        html.append('\n');
    }

    private static String number(long value) {
        return "<td class=\"n\">" + value + "</td>";
    }

    private static String esc(String value) {
        return HtmlText.escape(value);
    }

    private static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    private static String day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    private static String lastDay(Instant until) {
        return LocalDate.ofInstant(until.minusNanos(1), ZoneOffset.UTC).toString();
    }
}
