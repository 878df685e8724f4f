package org.portcullis.admission;

/**
 * Stage 5: a request for the gateway's own pages is answered by the portal with the caller's session (the portal
 * decides what each page needs); the policy is for routes. Without the session store nothing of the portal can work,
 * so a failed lookup is a 503 here.
 */
final class PortalStage implements Stage {

    @Override
    public Step apply(AdmissionContext context) {
        if (context.destination() != AdmissionContext.Destination.PORTAL) {
            return new Step.Next(context);
        }
        if (context.sessionFailure() != null) {
            return new Step.Done(PolicyStage.storeUnavailable(context));
        }
        return new Step.Done(new Admission.Portal(context.canonical(), context.snapshot(), context.session(),
                context.bodyFollows()));
    }
}
