package org.portcullis.portal.flow;

import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.portal.PortalRequest;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.SessionIdHash;
import org.portcullis.session.SessionManagers;

/**
 * What follows a user's first second factor, whatever its kind (authenticator app or security key), once the enrolling
 * session has moved to its new id: every other session of the user ends, and each end is audited. Those sessions were
 * made with the password alone while it was the only factor the account had; from now on the account has a second
 * factor and a password alone must not be enough anywhere (SECURITY-RULES 12): not on one_factor routes, not on the
 * account page, not for callback codes to other hosts (they name a portal session, which is gone). The enrolling
 * session goes on. On a storage thread.
 */
final class FirstSecondFactor {
    /** The audit reason of a session ended this way. */
    static final String REASON = "first_second_factor_enrolled";

    private FirstSecondFactor() {
    }

    static void endOtherSessions(PortalContext context, SessionManagers sessions, PortalRequest request, String user,
                                 IssuedSession kept) {
        for (SessionIdHash ended : sessions.forConfig(request.snapshot().config()).endOtherSessions(user, kept.id())) {
            context.record(SignInEvent.ACTION_SESSION_REVOKE, AuditOutcome.SUCCESS, REASON, user, request,
                    ended.displayId());
        }
    }
}
