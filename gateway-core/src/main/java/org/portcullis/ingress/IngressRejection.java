package org.portcullis.ingress;

import java.util.Objects;

/**
 * Thrown by the canonicalisation steps when a rule refuses a request; the facade {@link RequestCanonicalizer} turns it
 * into a {@link RequestRejected}. It carries no stack trace: refusals are routine on an exposed gateway and must stay
 * cheap. The detail is a constant text naming the rule, never the offending value (it may hold a token or cookie).
 */
public final class IngressRejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public IngressRejection(RejectReason reason, String detail) {
        super(Objects.requireNonNull(detail, "detail"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectReason reason() {
        return reason;
    }

    public RequestRejected toRequestRejected() {
        return new RequestRejected(reason, getMessage());
    }
}
