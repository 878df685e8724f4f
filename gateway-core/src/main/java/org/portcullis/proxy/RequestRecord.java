package org.portcullis.proxy;

import io.netty.util.concurrent.Ticker;
import org.portcullis.admission.Admission;
import org.portcullis.audit.RequestId;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.signin.ResolvedSession;

/**
 * What the gateway learned about one request, filled in as it goes (arrival, decision, end) and closed exactly once
 * into the access log and the audit trail by {@link RequestJournal}. Event loop only.
 */
final class RequestRecord {
    /** How the request was decided; says which records it earns (see {@link RequestJournal}). */
    enum Kind {
        REFUSED("refused"), CHALLENGED("challenged"), PORTAL("portal"), FORWARDED("forwarded");

        private final String metricName;

        Kind(String metricName) {
            this.metricName = metricName;
        }

        /** The {@code decision} tag of the request metrics. */
        String metricName() {
            return metricName;
        }
    }

    /** The route name the access log gives requests the gateway answers itself. */
    static final String PORTAL_ROUTE = "portal";

    private final RequestJournal journal;
    private final String id = RequestId.next();
    private final String client;
    private final Ticker ticker;
    private final long startedNanos;
    private Kind kind = Kind.REFUSED;
    private Admission admission;
    private boolean closed;

    /** A request starts: its id (for joining log lines, not a secret) and its clock. */
    RequestRecord(RequestJournal journal, String client, Ticker ticker) {
        this.journal = journal;
        this.client = client;
        this.ticker = ticker;
        this.startedNanos = ticker.nanoTime();
        journal.started();
    }

    /** The request was decided: what the records name (request, route, rule, session) comes from here. */
    void decided(Admission decision) {
        admission = decision;
        if (decision instanceof Admission.Forward) {
            kind = Kind.FORWARDED;
        } else if (decision instanceof Admission.Portal || decision instanceof Admission.RemoteDesktop) {
            kind = Kind.PORTAL;
        } else if (decision instanceof Admission.Challenge) {
            kind = Kind.CHALLENGED;
        } else {
            kind = Kind.REFUSED;
        }
    }

    /** The request ended with {@code status}; {@code outcome} says how. Writes the records; later calls do nothing. */
    void close(int status, String outcome) {
        if (closed) {
            return;
        }
        closed = true;
        journal.write(this, status, outcome);
    }

    /** The connection ended before the request was answered: no record is written; later calls do nothing. */
    void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        journal.abandoned();
    }

    String id() {
        return id;
    }

    String client() {
        return client;
    }

    Kind kind() {
        return kind;
    }

    Admission admission() {
        return admission;
    }

    long elapsedMicros() {
        return (ticker.nanoTime() - startedNanos) / 1000;
    }

    CanonicalRequest request() {
        return admission == null ? null : admission.request();
    }

    String route() {
        if (admission instanceof Admission.Forward forward) {
            return forward.route().name();
        }
        if (admission instanceof Admission.Portal) {
            return PORTAL_ROUTE;
        }
        if (admission instanceof Admission.Challenge challenge) {
            return challenge.route().name();
        }
        return admission instanceof Admission.Refuse refuse ? refuse.route() : null;
    }

    String rule() {
        if (admission instanceof Admission.Forward forward) {
            return forward.rule();
        }
        if (admission instanceof Admission.Challenge challenge) {
            return challenge.rule();
        }
        return admission instanceof Admission.Refuse refuse ? refuse.rule() : null;
    }

    /** The session worth naming in the audit trail: none for refusals and bypassed forwards. */
    ResolvedSession session() {
        if (admission instanceof Admission.Forward forward) {
            return forward.bypass() ? null : forward.session();
        }
        if (admission instanceof Admission.Portal portal) {
            return portal.session();
        }
        return admission instanceof Admission.Challenge challenge ? challenge.session() : null;
    }

    /** What failed on the gateway's side, for the operator's log, or null. */
    Throwable cause() {
        return admission instanceof Admission.Refuse refuse ? refuse.cause() : null;
    }
}
