package org.portcullis.demo;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The HTML of the demo application: a deliberately dated (table layout, Verdana, bevelled header) but tidy look,
 * like the care-records systems Portcullis sits in front of. Every value is escaped with {@link Html#escape}.
 */
final class CarePages {

    static final String APP_TITLE = "Riverside Community Care \u2014 Records";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter NOTE_TIME =
            DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private static final String STYLE = """
            body{margin:0;background:#e8ecf2;font:12px Verdana,Tahoma,sans-serif;color:#222}
            #top{background:linear-gradient(#3d6a9e,#24486f);color:#fff;padding:8px 14px;border-bottom:3px solid #f0b400}
            #top h1{margin:0;font:bold 17px Tahoma,Verdana,sans-serif}
            #top span{font-size:11px;color:#d6e2f0}
            #nav{background:#d3dbe6;border-bottom:1px solid #9aaabf;padding:4px 14px}
            #nav a{color:#1c3f66;margin-right:14px;font-weight:bold;text-decoration:none}
            #nav a:hover{text-decoration:underline}
            #main{display:flex;gap:14px;padding:14px;align-items:flex-start}
            #content{flex:1;background:#fff;border:1px solid #9aaabf;padding:10px 14px}
            #side{width:300px}
            h2{font-size:14px;color:#1c3f66;border-bottom:1px solid #c8d2de;padding-bottom:3px}
            table.grid{border-collapse:collapse;width:100%;margin-bottom:12px}
            table.grid th{background:#d3dbe6;text-align:left;border:1px solid #9aaabf;padding:3px 6px}
            table.grid td{border:1px solid #c8d2de;padding:3px 6px;vertical-align:top}
            table.grid tr:nth-child(even) td{background:#f3f6fa}
            .box{background:#fffbe6;border:1px solid #d9c27a;padding:6px 8px;margin-bottom:12px}
            .box h3{margin:0 0 4px;font-size:12px}
            .box dt{font-weight:bold;margin-top:4px}
            .box dd{margin:0 0 0 8px;font-family:"Courier New",monospace;word-break:break-all}
            .allergy{color:#a00000;font-weight:bold}
            .fictional{background:#fde8e8;border:1px solid #d99;padding:4px 8px;margin-bottom:10px;font-size:11px}
            .error{color:#a00000;font-weight:bold}
            textarea{width:100%;height:70px;font:12px Verdana,sans-serif}
            input[type=submit]{background:#e4e9f0;border:1px outset #9aaabf;padding:2px 10px;font:12px Verdana}
            #foot{font-size:10px;color:#667;padding:0 14px 14px}
            """;

    private CarePages() {
    }

    static String patientList(List<Patient> patients, RequestDetails details) {
        StringBuilder rows = new StringBuilder();
        for (Patient patient : patients) {
            rows.append("<tr><td><a href=\"/patients/").append(Html.escape(patient.id())).append("\">")
                    .append(Html.escape(patient.id())).append("</a></td><td>").append(Html.escape(patient.name()))
                    .append("</td><td>").append(DAY.format(patient.born())).append("</td><td>")
                    .append(Html.escape(patient.team())).append("</td></tr>\n");
        }
        String body = "<h2>Patients on caseload</h2>\n<table class=\"grid\"><tr><th>Record no.</th><th>Name</th>"
                + "<th>Date of birth</th><th>Care team</th></tr>\n" + rows + "</table>\n";
        return layout("Patients", body, details);
    }

    static String patientPage(Patient patient, List<Note> notes, String formError, RequestDetails details) {
        StringBuilder body = new StringBuilder();
        body.append("<h2>").append(Html.escape(patient.name())).append(" &middot; ").append(Html.escape(patient.id()))
                .append("</h2>\n<table class=\"grid\"><tr><th>Date of birth</th><td>").append(DAY.format(patient.born()))
                .append("</td></tr><tr><th>Care team</th><td>").append(Html.escape(patient.team()))
                .append("</td></tr><tr><th>Allergies</th><td>");
        if (patient.allergies().isEmpty()) {
            body.append("No known allergies");
        } else {
            for (String allergy : patient.allergies()) {
                body.append("<div class=\"allergy\">").append(Html.escape(allergy)).append("</div>");
            }
        }
        body.append("</td></tr></table>\n<h2>Visits</h2>\n<table class=\"grid\"><tr><th>Date</th><th>Clinician</th>"
                + "<th>Reason</th></tr>\n");
        for (Visit visit : patient.visits()) {
            body.append("<tr><td>").append(DAY.format(visit.date())).append("</td><td>")
                    .append(Html.escape(visit.clinician())).append("</td><td>").append(Html.escape(visit.reason()))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n<h2>Notes</h2>\n<table class=\"grid\"><tr><th>Written</th><th>By</th><th>Note</th></tr>\n");
        for (Note note : notes) {
            body.append("<tr><td>").append(NOTE_TIME.format(note.written())).append("</td><td>")
                    .append(Html.escape(note.author())).append("</td><td class=\"note\">")
                    .append(Html.escape(note.text())).append("</td></tr>\n");
        }
        body.append("</table>\n<form method=\"post\" action=\"/patients/").append(Html.escape(patient.id()))
                .append("/notes\"><fieldset><legend>Add a note</legend>");
        if (formError != null) {
            body.append("<p class=\"error\">").append(Html.escape(formError)).append("</p>");
        }
        body.append("<textarea name=\"text\" maxlength=\"").append(CareRecords.MAX_NOTE_CHARS)
                .append("\"></textarea><br><input type=\"submit\" value=\"Save note\"></fieldset></form>\n");
        return layout(patient.name(), body.toString(), details);
    }

    static String adminPage(RequestDetails details) {
        String body = """
                <h2>System administration</h2>
                <table class="grid"><tr><th>Account</th><th>Role</th><th>Last sign-in</th></tr>
                <tr><td>j.sample</td><td>District nurse</td><td>22/02/2024 08:12</td></tr>
                <tr><td>a.fictional</td><td>Consultant</td><td>21/02/2024 16:40</td></tr>
                <tr><td>k.demo</td><td>Diabetes nurse</td><td>22/02/2024 09:03</td></tr>
                <tr><td>records.admin</td><td>Administrator</td><td>19/02/2024 11:27</td></tr>
                </table>
                <h2>Settings</h2>
                <table class="grid"><tr><th>Setting</th><th>Value</th></tr>
                <tr><td>Record retention</td><td>8 years after last contact</td></tr>
                <tr><td>Nightly export</td><td>Disabled in this demo</td></tr>
                <tr><td>Built-in login</td><td>None &mdash; protected by the gateway in front</td></tr>
                </table>
                """;
        return layout("Administration", body, details);
    }

    static String message(String title, String text, RequestDetails details) {
        return layout(title, "<h2>" + Html.escape(title) + "</h2>\n<p>" + Html.escape(text) + "</p>\n", details);
    }

    private static String layout(String title, String content, RequestDetails details) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
                + " - " + Html.escape(APP_TITLE) + "</title>\n<style>\n" + STYLE + "</style></head>\n<body>\n"
                + "<div id=\"top\"><h1>" + Html.escape(APP_TITLE) + "</h1><span>Clinical Records System v4.2 "
                + "&middot; build 2011.07</span></div>\n"
                + "<div id=\"nav\"><a href=\"/\">Patients</a><a href=\"/admin\">Administration</a>"
                + "<a href=\"/api/patients\">API</a></div>\n"
                + "<div id=\"main\"><div id=\"content\">\n"
                + "<div class=\"fictional\">Demo system: every name and record here is fictional.</div>\n"
                + content + "</div>\n<div id=\"side\">" + detailsBox(details) + "</div></div>\n"
                + "<div id=\"foot\">Riverside Community Care is a fictional organisation. "
                + "Served by the Portcullis demo upstream.</div>\n</body></html>\n";
    }

    private static String detailsBox(RequestDetails details) {
        StringBuilder box = new StringBuilder("<div class=\"box\" id=\"request-details\"><h3>Request details</h3><dl>");
        box.append("<dt>Request</dt><dd>").append(Html.escape(details.method())).append(' ')
                .append(Html.escape(details.rawPath())).append("</dd>");
        box.append("<dt>Connection from</dt><dd>").append(Html.escape(details.peer())).append("</dd>");
        for (Map.Entry<String, List<String>> header : details.shownHeaders()) {
            box.append("<dt>").append(Html.escape(header.getKey())).append("</dt>");
            if (header.getValue().isEmpty()) {
                box.append("<dd><i>(not sent)</i></dd>");
            }
            for (String value : header.getValue()) {
                box.append("<dd>").append(Html.escape(value)).append("</dd>");
            }
        }
        return box.append("</dl></div>").toString();
    }
}
