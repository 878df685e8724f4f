package org.portcullis.admission;

import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.policy.AccessRequest;
import org.portcullis.policy.Decision;
import org.portcullis.policy.DenyReason;

/**
 * Stage 6: the access policy, asked about exactly the canonical request that will be forwarded, with the caller's
 * factors. Allow goes on to the identity stage; deny is 403 (a Windows path alias 400: not a verdict but a path the
 * upstream would misread); a challenge sends the caller to sign in.
 *
 * <p>When the session could not be looked up, the request carried a cookie, so it may be a signed-in user's:
 * treating it as anonymous would send them to sign in again (looking signed out), and treating it as signed in is
 * impossible. It is refused with 503, with one exception: a request a bypass rule lets through without any session
 * goes on as such (no identity reaches the upstream), so a store outage does not take public pages down for everyone
 * who still holds a cookie.
 */
final class PolicyStage implements Stage {
    /** The refusal code of a request whose session lookup failed. */
    static final String SESSION_STORE_UNAVAILABLE = "SESSION_STORE_UNAVAILABLE";

    @Override
    public Step apply(AdmissionContext context) {
        CanonicalRequest canonical = context.canonical();
        RouteConfig route = context.route();
        Decision decision = context.snapshot().policy().decide(
                new AccessRequest(canonical.method(), canonical.host(), canonical.path(), canonical.clientAddress(),
                        route.paths()),
                context.session().authState());
        if (context.sessionFailure() != null && !(decision instanceof Decision.Allow allow && allow.isBypass())) {
            return new Step.Done(storeUnavailable(context));
        }
        if (decision instanceof Decision.Allow allow) {
            return new Step.Next(context.allowedBy(allow.rule(), allow.isBypass()));
        }
        if (decision instanceof Decision.Deny deny && deny.reason() == DenyReason.WINDOWS_PATH_ALIAS) {
            return new Step.Done(new Admission.Refuse(400, "WINDOWS_PATH_ALIAS", canonical, route.name(),
                    deny.rule(), context.bodyFollows()));
        }
        if (decision instanceof Decision.Deny deny && deny.reason() == DenyReason.EXCEPTION_LAPSED) {
            // its own outcome code, so the trail shows which refusals a lapsed exception caused
            return new Step.Done(new Admission.Refuse(403, "EXCEPTION_LAPSED", canonical, route.name(), deny.rule(),
                    context.bodyFollows()));
        }
        if (decision instanceof Decision.Deny deny) {
            return new Step.Done(new Admission.Refuse(403, "POLICY_DENY", canonical, route.name(), deny.rule(),
                    context.bodyFollows()));
        }
        if (decision instanceof Decision.Challenge challenge) {
            return new Step.Done(new Admission.Challenge(canonical, route, challenge.rule(), challenge.requirement(),
                    context.session(), context.snapshot(), context.bodyFollows()));
        }
        return new Step.Done(new Admission.Refuse(403, "POLICY_UNKNOWN_DECISION", canonical, route.name(), null,
                true));
    }

    static Admission.Refuse storeUnavailable(AdmissionContext context) {
        return new Admission.Refuse(503, SESSION_STORE_UNAVAILABLE, context.canonical(), context.routeName(), null,
                context.bodyFollows(), context.sessionFailure());
    }
}
