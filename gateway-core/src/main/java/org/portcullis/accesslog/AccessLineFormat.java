package org.portcullis.accesslog;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.portcullis.config.AccessLogConfig;

/**
 * Turns an {@link AccessLine} into one line of bytes, on the writer thread. Both forms start with the time, UTC with
 * milliseconds ({@code 2026-12-07T16:10:54.123Z}), and end with a newline.
 *
 * <h2>text</h2>
 * {@code TIME request_id=… client=… method=… target=HOST/PATH status=… route=… rule=… outcome=… duration_us=…}. A
 * missing value is {@code -}. Control characters, DEL, space, {@code "} and {@code \} are written as {@code \xNN}
 * (lower-case hex), so no value can end the line, forge a field or the next line, even though canonical values cannot
 * hold them; anything else is written as UTF-8.
 *
 * <h2>json</h2>
 * One object with the audit trail's field names (docs/audit-log.md, Elastic Common Schema written flat):
 * {@code @timestamp}, {@code event.reason} (the outcome code), {@code source.ip}, {@code url.domain},
 * {@code http.request.method}, {@code url.path}, {@code route}, {@code rule.id}, {@code request.id},
 * {@code http.response.status_code} and ECS {@code event.duration} in nanoseconds. A missing value is left out, never
 * null. Strings are escaped as RFC 8259 §7 asks ({@code \"}, {@code \\}, a six-character u00NN escape for control characters
 * and DEL).
 *
 * <p>Not thread-safe: it caches the formatted second of the last line.
 */
final class AccessLineFormat {
    private final boolean json;
    private long cachedSecond = Long.MIN_VALUE;
    /** {@code yyyy-MM-ddTHH:mm:ss.} of {@link #cachedSecond}. */
    private final byte[] secondText = new byte[20];

    AccessLineFormat(AccessLogConfig.Format format) {
        this.json = format == AccessLogConfig.Format.JSON;
    }

    void append(AccessLine line, LineBuffer out) {
        if (json) {
            appendJson(line, out);
        } else {
            appendText(line, out);
        }
    }

    private void appendText(AccessLine line, LineBuffer out) {
        timestamp(line.epochMillis(), out);
        text(out.ascii(" request_id="), line.requestId());
        text(out.ascii(" client="), line.client());
        text(out.ascii(" method="), line.method());
        out.ascii(" target=");
        if (line.host() == null && line.path() == null) {
            out.ascii((byte) '-');
        } else {
            escapeText(out, line.host() == null ? "" : line.host());
            escapeText(out, line.path() == null ? "" : line.path());
        }
        out.ascii(" status=").number(line.status());
        text(out.ascii(" route="), line.route());
        text(out.ascii(" rule="), line.rule());
        text(out.ascii(" outcome="), line.outcome());
        out.ascii(" duration_us=").number(line.durationMicros()).ascii((byte) '\n');
    }

    private void appendJson(AccessLine line, LineBuffer out) {
        out.ascii("{\"@timestamp\":\"");
        timestamp(line.epochMillis(), out);
        out.ascii((byte) '"');
        json(out, ",\"event.reason\":\"", line.outcome());
        json(out, ",\"source.ip\":\"", line.client());
        json(out, ",\"url.domain\":\"", line.host());
        json(out, ",\"http.request.method\":\"", line.method());
        json(out, ",\"url.path\":\"", line.path());
        json(out, ",\"route\":\"", line.route());
        json(out, ",\"rule.id\":\"", line.rule());
        json(out, ",\"request.id\":\"", line.requestId());
        out.ascii(",\"http.response.status_code\":").number(line.status());
        out.ascii(",\"event.duration\":").number(line.durationMicros() * 1000).ascii("}\n");
    }

    private static void text(LineBuffer out, String value) {
        if (value == null) {
            out.ascii((byte) '-');
        } else {
            escapeText(out, value);
        }
    }

    /** The text form's escape: control characters, DEL, space, quote and backslash as {@code \xNN}. */
    static void escapeText(LineBuffer out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == ' ' || c == '"' || c == '\\') {
                out.hexEscape(c);
            } else {
                i = out.utf8(value, i);
            }
        }
    }

    /** {@code "name":"value"} (the prefix carries the opening quote), or nothing when the value is missing. */
    private static void json(LineBuffer out, String prefix, String value) {
        if (value == null) {
            return;
        }
        out.ascii(prefix);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.ascii((byte) '\\').ascii((byte) c);
            } else if (c < 0x20 || c == 0x7f) {
                out.unicodeEscape(c);
            } else {
                i = out.utf8(value, i);
            }
        }
        out.ascii((byte) '"');
    }

    private void timestamp(long epochMillis, LineBuffer out) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            LineBuffer text = new LineBuffer(20);
            text.digits(time.getYear(), 4).ascii((byte) '-').digits(time.getMonthValue(), 2).ascii((byte) '-')
                    .digits(time.getDayOfMonth(), 2).ascii((byte) 'T').digits(time.getHour(), 2).ascii((byte) ':')
                    .digits(time.getMinute(), 2).ascii((byte) ':').digits(time.getSecond(), 2).ascii((byte) '.');
            System.arraycopy(text.copy(0), 0, secondText, 0, secondText.length);
            cachedSecond = second;
        }
        out.ascii(secondText).digits((int) Math.floorMod(epochMillis, 1000), 3).ascii((byte) 'Z');
    }
}
