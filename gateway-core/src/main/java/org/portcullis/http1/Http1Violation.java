package org.portcullis.http1;

import org.portcullis.ingress.RejectReason;

/**
 * Thrown inside the decoders when a message breaks a rule; the decoder turns it into its one refusal message.
 * Carries no stack trace: it is an expected outcome on hostile input, and must stay cheap.
 * {@code detail} is a constant text and never contains bytes of the message.
 */
final class Http1Violation extends Exception {
    private final transient RejectReason reason;

    Http1Violation(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    RejectReason reason() {
        return reason;
    }

    String detail() {
        return getMessage();
    }
}
