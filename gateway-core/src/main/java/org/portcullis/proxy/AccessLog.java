package org.portcullis.proxy;

import org.portcullis.ingress.CanonicalRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code portcullis.access} logger: request id (the same as in the audit trail), client
 * address, method, canonical host and path, status, route, rule and outcome code. Never the query, headers, cookies or bodies (they carry tokens and patient
 * identifiers). Control characters are escaped so a line cannot be forged, even though canonical values cannot
 * hold them.
 */
public final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("portcullis.access");

    private AccessLog() {
    }

    public static void record(String requestId, String client, CanonicalRequest request, int status, String route,
                              String rule, String code, long durationMicros) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String method = request == null ? "-" : request.method();
        String target = request == null ? "-" : request.host() + request.path();
        LOG.info("request_id={} client={} method={} target={} status={} route={} rule={} outcome={} duration_us={}",
                escape(requestId), escape(client), escape(method), escape(target), status, escape(route), escape(rule), escape(code),
                durationMicros);
    }

    static String escape(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean unsafe = c < 0x20 || c == 0x7f || c == ' ' || c == '"' || c == '\\';
            if (unsafe && out == null) {
                out = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }
}
