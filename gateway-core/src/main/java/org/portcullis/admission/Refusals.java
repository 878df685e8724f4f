package org.portcullis.admission;

import org.portcullis.ingress.RejectReason;

/** The refusals stages answer with, built the same way everywhere. */
final class Refusals {
    private Refusals() {
    }

    /**
     * Refuses with {@code reason}'s status. The connection closes when the reason says so or a body follows (the body
     * is not read, so the next request could not be found after it).
     */
    static Stage.Step of(RejectReason reason, AdmissionContext context) {
        return new Stage.Step.Done(new Admission.Refuse(reason.status(), reason.name(), context.canonical(),
                context.routeName(), null, reason.closesConnection() || context.bodyFollows()));
    }

    /** What any exception in a stage becomes (SECURITY-RULES 10): a refusal, never a forward. */
    static Admission internalError(Throwable e) {
        return new Admission.Refuse(500, "INTERNAL_ERROR:" + e.getClass().getSimpleName(), null, null, null, true,
                e);
    }
}
