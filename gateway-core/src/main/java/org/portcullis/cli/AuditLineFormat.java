package org.portcullis.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.portcullis.audit.AuditFilter;
import org.portcullis.audit.AuditLine;

/**
 * How {@code audit query} prints a line. {@code json}: the line exactly as stored (chain fields included, so a
 * result can be checked against the trail). {@code csv}: RFC 4180 with a header, and a value that a spreadsheet
 * would run as a formula ({@code = + - @}, tab, CR) prefixed with {@code '} (OWASP "CSV injection"): user names
 * and paths come from clients. {@code table}: columns for a terminal, as wide as their widest value, control characters
 * escaped so that a value cannot move the cursor or forge a row.
 */
abstract class AuditLineFormat {
    static final List<String> CSV_FIELDS = List.of("@timestamp", "event.action", "event.outcome", "event.reason",
            "user.name", "user.target.name", "source.ip", "url.domain", "http.request.method", "url.path", "file.path",
            "route", "rule.id", "http.response.status_code", "session.id", "auth.factors", "event.detail",
            "request.id", "event.sequence");

    /** True when the format needs a first pass over the matching lines ({@link #measure}) before printing. */
    boolean measures() {
        return false;
    }

    /** First pass: sees each matching line before anything is printed. */
    void measure(AuditLine line) {
    }

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

    /**
     * Columns as wide as their widest value (a first pass over the matching lines measures them, so the output
     * stays a stream and memory stays flat on a large trail); the optional columns only when some line has a value
     * for them. OUTCOME is {@link AuditFilter#outcomeOf}: a sign-in redirect reads {@code challenge}.
     */
    private static final class Table extends AuditLineFormat {
        private record Column(String heading, String field, boolean always) {
        }

        private static final String OUTCOME = "event.outcome";
        private static final List<Column> COLUMNS = List.of(
                new Column("TIME", "@timestamp", true),
                new Column("ACTION", "event.action", true),
                new Column("OUTCOME", OUTCOME, true),
                new Column("REASON", "event.reason", true),
                new Column("USER", "user.name", true),
                new Column("TARGET", "user.target.name", false),
                new Column("SOURCE", "source.ip", true),
                new Column("HOST", "url.domain", true),
                new Column("PATH", "url.path", true),
                new Column("FILE", "file.path", false),
                new Column("FACTORS", "auth.factors", false),
                new Column("DETAIL", "event.detail", false));

        private final int[] widths = new int[COLUMNS.size()];
        private final boolean[] used = new boolean[COLUMNS.size()];

        Table() {
            for (int i = 0; i < COLUMNS.size(); i++) {
                widths[i] = COLUMNS.get(i).heading().length();
                used[i] = COLUMNS.get(i).always();
            }
        }

        @Override
        boolean measures() {
            return true;
        }

        @Override
        void measure(AuditLine line) {
            for (int i = 0; i < COLUMNS.size(); i++) {
                String value = value(line, COLUMNS.get(i));
                if (value != null) {
                    used[i] = true;
                    widths[i] = Math.max(widths[i], width(AuditQueryCommand.printable(value)));
                }
            }
        }

        @Override
        void header(Writer out) throws IOException {
            List<String> cells = new java.util.ArrayList<>();
            COLUMNS.forEach(c -> cells.add(c.heading()));
            row(cells, out);
        }

        @Override
        void line(AuditLine line, Writer out) throws IOException {
            List<String> cells = new java.util.ArrayList<>();
            for (Column column : COLUMNS) {
                String value = value(line, column);
                cells.add(value == null ? "-" : AuditQueryCommand.printable(value));
            }
            row(cells, out);
        }

        private void row(List<String> cells, Writer out) throws IOException {
            int last = -1;
            for (int i = 0; i < cells.size(); i++) {
                if (used[i]) {
                    last = i;
                }
            }
            StringBuilder row = new StringBuilder();
            for (int i = 0; i <= last; i++) {
                if (!used[i]) {
                    continue;
                }
                String cell = cells.get(i);
                row.append(cell);
                if (i < last) {
                    row.append(" ".repeat(Math.max(0, widths[i] - width(cell)) + 2));
                }
            }
            out.write(row.toString());
            out.write(System.lineSeparator());
        }

        private static String value(AuditLine line, Column column) {
            return column.field().equals(OUTCOME) ? AuditFilter.outcomeOf(line) : line.field(column.field());
        }

        private static int width(String text) {
            return text.codePointCount(0, text.length());
        }
    }
}
