package org.portcullis.proxy;

import java.io.IOException;
import java.time.Clock;
import org.portcullis.accesslog.AccessLogWriter;
import org.portcullis.config.AccessLogConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.slf4j.LoggerFactory;

/**
 * One line per request: request id (the same as in the audit trail), client address, method, canonical host and path,
 * status, route, rule, outcome code and duration. Never the query, headers, cookies or bodies (they carry tokens and
 * patient identifiers). The request path calls {@link #record} once per request on its event loop; the line is
 * queued for an {@link AccessLogWriter}, which formats, escapes and writes it on its own thread
 * ({@code server.access_log}, docs/configuration.md).
 *
 * <p>Opened once by {@code GatewayServer} at start and closed after the event loops stop; a changed
 * {@code server.access_log} applies at the next restart.
 */
public final class AccessLog implements AutoCloseable {
    /**
     * The logger whose level is the access log's switch, as in earlier releases: {@code -Dportcullis.access.level=OFF}
     * (logback.xml), or any level above INFO in a logback config of one's own, turns the log off. Lines never go
     * through logback.
     */
    public static final String SWITCH_LOGGER = "portcullis.access";

    private static final AccessLog DISABLED = new AccessLog(null);

    private final AccessLogWriter writer;

    /** Writing through {@code writer} whatever the switch logger says (tests that read the lines). */
    AccessLog(AccessLogWriter writer) {
        this.writer = writer;
    }

    /** No lines at all. */
    public static AccessLog disabled() {
        return DISABLED;
    }

    /**
     * The access log as configured: off when {@code enabled: false} or when the {@link #SWITCH_LOGGER} logger is not
     * enabled at INFO; otherwise a started writer to the file or stderr.
     */
    public static AccessLog open(AccessLogConfig config, Clock clock) throws IOException {
        if (!config.enabled() || !LoggerFactory.getLogger(SWITCH_LOGGER).isInfoEnabled()) {
            return DISABLED;
        }
        return new AccessLog(AccessLogWriter.open(config, clock));
    }

    public void record(String requestId, String client, CanonicalRequest request, int status, String route,
                       String rule, String code, long durationMicros) {
        if (writer == null) {
            return;
        }
        if (request == null) {
            writer.record(requestId, client, null, null, null, status, route, rule, code, durationMicros);
        } else {
            writer.record(requestId, client, request.method(), request.host(), request.path(), status, route, rule,
                    code, durationMicros);
        }
    }

    /** Whether lines are written. */
    public boolean enabled() {
        return writer != null;
    }

    /** Lines dropped so far (queue full or write failed); 0 when off. For the metrics to come. */
    public long dropped() {
        return writer == null ? 0 : writer.dropped();
    }

    /** Writes out every queued line and closes the file. */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
