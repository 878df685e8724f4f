package org.portcullis.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One audit line as an RFC 5424 syslog message, framed for TCP by octet counting (RFC 6587 §3.4.1, which RFC 5425
 * §4.3 requires over TLS): {@code MSG-LEN SP <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG}.
 * <ul>
 *   <li>PRI: facility 13, "log audit" (RFC 5424 §6.2.1, table 1); severity 6 (informational) for
 *       {@code event.outcome: success}, 5 (notice) for failure;</li>
 *   <li>TIMESTAMP: the line's {@code @timestamp}, UTC, at most 6 fractional digits (§6.2.3);</li>
 *   <li>MSGID: the event's {@code event.action} (at most 32 printable ASCII characters, §6.2.7), so a SIEM can
 *       route by event type without parsing the message;</li>
 *   <li>STRUCTURED-DATA: none ({@code -});</li>
 *   <li>MSG: the audit line exactly as in the file, chain fields included, without its newline (MSG-ANY: no BOM, so
 *       the SIEM gets plain JSON).</li>
 * </ul>
 */
final class SyslogMessage {
    static final int FACILITY_LOG_AUDIT = 13;
    static final int SEVERITY_NOTICE = 5;
    static final int SEVERITY_INFORMATIONAL = 6;
    private static final int MAX_MSGID = 32;
    private static final int MAX_HOSTNAME = 255;

    private SyslogMessage() {
    }

    /** The framed message, ready to write to the stream. */
    static byte[] frame(Instant time, AuditEvent event, byte[] line, String hostname, String appName, long procId) {
        int severity = event.outcome() == AuditOutcome.SUCCESS ? SEVERITY_INFORMATIONAL : SEVERITY_NOTICE;
        String header = "<" + (FACILITY_LOG_AUDIT * 8 + severity) + ">1 "
                + time.truncatedTo(ChronoUnit.MICROS) + " " + field(hostname, MAX_HOSTNAME) + " " + appName + " "
                + procId + " " + field(event.action(), MAX_MSGID) + " - ";
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        int length = head.length + line.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 8);
        out.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(head);
        out.writeBytes(line);
        return out.toByteArray();
    }

    /** A header field: PRINTUSASCII only (%d33-126), at most {@code max} characters, {@code -} when empty. */
    static String field(String value, int max) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            if (c >= 33 && c <= 126) {
                out.append(c);
            }
        }
        return out.length() == 0 ? "-" : out.toString();
    }
}
