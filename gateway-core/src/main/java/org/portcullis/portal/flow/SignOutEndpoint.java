package org.portcullis.portal.flow;

import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.session.Session;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionManagers;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;

/**
 * {@code POST /.portcullis/logout}: ends the sign-in everywhere, the portal session and every host session made from it
 * at a callback, in one store step, so every host refuses the next request (SECURITY-RULES 11). The form carries the
 * session's CSRF token and must come from the portal's origin (rule 17): a forged sign-out is refused, so a hostile
 * page cannot sign a clinician out in the middle of their work either.
 */
final class SignOutEndpoint {
    private final PortalContext context;
    private final StorageExecutor storage;
    private final SessionManagers sessions;

    SignOutEndpoint(PortalContext context, StorageExecutor storage, SessionManagers sessions) {
        this.context = context;
        this.storage = storage;
        this.sessions = sessions;
    }

    CompletableFuture<PortalResponse> handle(PortalRequest request) {
        PortalSite site = PortalContext.site(request);
        Session session = request.session().session();
        if (session == null) {
            // Nothing to end: show the signed-out page, and drop whatever cookie the browser still had.
            return CompletableFuture.completedFuture(signedOut(site, "SIGNED_OUT_ALREADY"));
        }
        SessionManager sessions = this.sessions.forConfig(request.snapshot().config());
        return storage.submit(() -> {
            int ended = 0;
            String signIn = session.attributes().get(PortalContext.SIGN_IN_ID);
            if (signIn != null) {
                ended = sessions.endSignIn(session.user(), PortalContext.SIGN_IN_ID, signIn);
            }
            if (sessions.logout(request.session().id())) {
                ended++;
            }
            context.record(SignInEvent.ACTION_SIGN_OUT, AuditOutcome.SUCCESS, "sessions_ended_" + ended,
                    session.user(), request, request.session().sessionHash());
            return signedOut(site, "SIGNED_OUT");
        });
    }

    /** A forged sign-out: the account page again, the session untouched. */
    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        PortalSite site = PortalContext.site(request);
        Session session = request.session().session();
        context.record(SignInEvent.ACTION_SIGN_OUT, AuditOutcome.FAILURE,
                "csrf_" + verdict.outcome().name().toLowerCase(), session.user(), request,
                request.session().sessionHash());
        return CompletableFuture.completedFuture(PortalContext.page(site,
                site.pages().account(request.session().user().displayName(), session.user(),
                        session.attributes().getOrDefault(PortalContext.CSRF, "")).withStatus(403),
                "CSRF_REFUSED"));
    }

    private static PortalResponse signedOut(PortalSite site, String outcome) {
        return PortalContext.page(site, site.pages().signedOut(), outcome,
                PortalContext.setCookie(SessionCookie.clearingCookie()));
    }

}
