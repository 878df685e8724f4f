package org.portcullis.proxy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.portcullis.audit.AccessDecision;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.AuditSink;
import org.portcullis.config.AuditConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.signin.ResolvedSession;

/**
 * The one place a finished request is written down: one access-log line for every request, and the audit event the
 * request earns (SECURITY-RULES 20):
 * <ul>
 *   <li>refused or challenged: always, as a failure;</li>
 *   <li>answered by the portal: when it ended in an error (4xx, 5xx); the portal audits its own sign-in steps;</li>
 *   <li>forwarded: when the gateway had to end the exchange (a failure), or when {@code audit.log_allowed} is on.</li>
 * </ul>
 * Refusals because something on the gateway's side failed (the store, the identity, a portal endpoint) also reach the
 * operator's {@link RefusalLog}. Canonical values only: the query, headers and cookies never reach either record.
 */
final class RequestJournal {
    private final AccessLog accessLog;
    private final AuditSink audit;
    private final RefusalLog refusals;
    private final RequestObserver observer;

    RequestJournal(AccessLog accessLog, AuditSink audit, RefusalLog refusals) {
        this(accessLog, audit, refusals, RequestObserver.NONE);
    }

    RequestJournal(AccessLog accessLog, AuditSink audit, RefusalLog refusals, RequestObserver observer) {
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** A request started (its record was opened). */
    void started() {
        observer.started();
    }

    /** A request's connection ended before it was answered: nothing to write, but it is no longer in flight. */
    void abandoned() {
        observer.abandoned();
    }

    void write(RequestRecord record, int status, String outcome) {
        CanonicalRequest request = record.request();
        long micros = record.elapsedMicros();
        String route = record.route();
        observer.ended(route, record.kind().metricName(), status, outcome, micros);
        accessLog.record(record.id(), record.client(), request, status, route, record.rule(), outcome, micros);
        switch (record.kind()) {
            case REFUSED -> {
                if (record.cause() != null) {
                    refusals.refused(record.id(), outcome, record.cause());
                }
                audit(record, AuditOutcome.FAILURE, status, outcome);
            }
            case CHALLENGED -> audit(record, AuditOutcome.FAILURE, status, outcome);
            case PORTAL -> {
                if (status >= 500) {
                    refusals.refused(record.id(), outcome, null);
                }
                if (status >= 400) {
                    audit(record, AuditOutcome.FAILURE, status, outcome);
                }
            }
            case FORWARDED -> {
                boolean failed = !ExchangeOutcome.FORWARDED.name().equals(outcome);
                AuditConfig config = ((org.portcullis.admission.Admission.Forward) record.admission()).snapshot()
                        .config().audit();
                if (failed || (config != null && config.logAllowed())) {
                    audit(record, failed ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS, status, outcome);
                }
            }
            default -> throw new IllegalStateException("unknown kind " + record.kind());
        }
    }

    private void audit(RequestRecord record, AuditOutcome result, int status, String reason) {
        CanonicalRequest request = record.request();
        ResolvedSession session = record.session();
        String source = request == null ? record.client() : request.clientAddress().getHostAddress();
        String user = session == null || session.user() == null ? null : session.user().username();
        String sessionHash = session == null ? null : session.sessionHash();
        List<String> factors = session == null || session.session() == null ? List.of()
                : session.session().factors().keySet().stream().sorted()
                        .map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
        audit.record(new AccessDecision(result, reason, user, source, request == null ? null : request.host(),
                request == null ? null : request.method(), request == null ? null : request.path(), record.route(),
                record.rule(), sessionHash, record.id(), status, factors));
    }
}
