package org.portcullis.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.portcullis.audit.AuditLine;

/**
 * How {@code audit query} prints a line. {@code json}: the line exactly as stored (chain fields included, so a
 * result can be checked against the trail). {@code csv}: RFC 4180 with a header, and a value that a spreadsheet
 * would run as a formula ({@code = + - @}, tab, CR) prefixed with {@code '} (OWASP "CSV injection"): user names
 * and paths come from clients. {@code table}: fixed columns for a terminal, control characters escaped so that a
 * value cannot move the cursor or forge a row.
 */
abstract class AuditLineFormat {
    static final List<String> CSV_FIELDS = List.of("@timestamp", "event.action", "event.outcome", "event.reason",
            "user.name", "source.ip", "url.domain", "http.request.method", "url.path", "route", "rule.id",
            "http.response.status_code", "session.id", "request.id", "event.sequence");

    abstract void header(Writer out) throws IOException;

    abstract void line(AuditLine line, Writer out) throws IOException;

    static AuditLineFormat of(AuditQueryCommand.Format format) {
        return switch (format) {
            case json -> new Json();
            case csv -> new Csv();
            case table -> new Table();
        };
    }

    private static final class Json extends AuditLineFormat {
        @Override
        void header(Writer out) {
            // JSON lines have no header
        }

        @Override
        void line(AuditLine line, Writer out) throws IOException {
            out.write(new String(line.raw(), StandardCharsets.UTF_8));
            out.write('\n');
        }
    }

    private static final class Csv extends AuditLineFormat {
        @Override
        void header(Writer out) throws IOException {
            out.write(String.join(",", CSV_FIELDS));
            out.write("\r\n");
        }

        @Override
        void line(AuditLine line, Writer out) throws IOException {
            for (int i = 0; i < CSV_FIELDS.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                String value = line.field(CSV_FIELDS.get(i));
                if (value != null) {
                    out.write(cell(value));
                }
            }
            out.write("\r\n");
        }

        static String cell(String value) {
            String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
            boolean quote = safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0
                    || safe.indexOf('\r') >= 0;
            return quote ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
        }
    }

    private static final class Table extends AuditLineFormat {
        private static final String ROW = "%-24s  %-16s  %-7s  %-20s  %-12s  %-15s  %-20s  %s%n";

        @Override
        void header(Writer out) throws IOException {
            out.write(String.format(ROW, "TIME", "ACTION", "OUTCOME", "REASON", "USER", "SOURCE", "HOST", "PATH"));
        }

        @Override
        void line(AuditLine line, Writer out) throws IOException {
            out.write(String.format(ROW, cell(line, "@timestamp"), cell(line, "event.action"),
                    cell(line, "event.outcome"), cell(line, "event.reason"), cell(line, "user.name"),
                    cell(line, "source.ip"), cell(line, "url.domain"), cell(line, "url.path")));
        }

        private static String cell(AuditLine line, String field) {
            String value = line.field(field);
            return value == null ? "-" : AuditQueryCommand.printable(value);
        }
    }
}
