package org.portcullis.portal.flow;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.policy.AuthFactor;
import org.portcullis.portal.PortalRequest;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.SessionManagers;
import org.portcullis.signin.ResolvedSession;

/**
 * What follows every completed second factor, whatever its kind: the session moves to a new id with the factor added,
 * the "second factor due" marks removed and a new CSRF token (a token seen before the rotation is worth nothing after
 * it, like the old id), in one store step, and the rotation is audited. Shared by the code form
 * and the security-key endpoints so both end a sign-in the same way.
 */
final class SecondFactorSuccess {
    /** Attributes that end with the second factor: the mark, the saved rd and any enrolment in progress. */
    static final Set<String> ENDED = Set.of(ResolvedSession.SECOND_FACTOR_DUE, PortalContext.SECOND_FACTOR_RD,
            PortalContext.SECOND_FACTOR_STATE, PortalContext.ENROL_CREDENTIAL);

    private SecondFactorSuccess() {
    }

    static Optional<IssuedSession> rotate(PortalContext context, SessionManagers sessions, PortalRequest request,
                                          AuthFactor factor) {
        return rotate(context, sessions, request, factor, Map.of(), ENDED);
    }

    static Optional<IssuedSession> rotate(PortalContext context, SessionManagers sessions, PortalRequest request,
                                          AuthFactor factor, Map<String, String> set, Set<String> remove) {
        Optional<IssuedSession> rotated = sessions.forConfig(request.snapshot().config())
                .rotate(request.session().id(), factor, context.renewedCsrf(set), remove);
        rotated.ifPresent(issued -> context.record(SignInEvent.ACTION_SESSION_ROTATE, AuditOutcome.SUCCESS,
                factor.name().toLowerCase(), issued.session().user(), request, issued.id().hash().displayId()));
        return rotated;
    }
}
