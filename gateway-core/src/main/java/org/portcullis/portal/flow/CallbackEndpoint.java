package org.portcullis.portal.flow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.portal.PortalPaths;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.PortalSite;
import org.portcullis.portal.guard.CallbackRedemption;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.Session;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionManager;

/**
 * {@code GET /.portcullis/callback?code=…} on a protected host: the second half of single sign-on. The code is
 * redeemed once, only on the host it was issued for, within its lifetime, and only while the portal session it names
 * is alive; then this host gets its own host-only session (a new id, the sign-in's user and factors, never a longer
 * life than the portal session) and the browser goes on to the path it first asked for. Any failure sends the browser
 * back to the portal to sign in, with nothing set.
 */
final class CallbackEndpoint {
    private final PortalContext context;

    CallbackEndpoint(PortalContext context) {
        this.context = context;
    }

    CompletableFuture<PortalResponse> handle(PortalRequest request) {
        String code = PortalContext.query(request).text("code");
        String host = request.request().host();
        CallbackRedemption redemption = context.codes.attempt(code, host);
        if (redemption.outcome() != CallbackRedemption.Outcome.REDEEMED) {
            return CompletableFuture.completedFuture(refused(request, redemption.outcome().name().toLowerCase()));
        }
        var grant = redemption.grant().orElseThrow();
        SessionManager sessions = context.services.sessions(request.snapshot().config());
        return context.services.storage().submit(() -> {
            Optional<Session> portal = sessions.live(grant.portalSession());
            if (portal.isEmpty()) {
                return refused(request, "portal_session_gone");
            }
            if (request.session().id() != null) {
                sessions.logout(request.session().id());
            }
            Session signIn = portal.get();
            IssuedSession joined = sessions.join(signIn, Map.of(
                    PortalContext.SIGN_IN_ID, signIn.attributes().getOrDefault(PortalContext.SIGN_IN_ID, "-"),
                    PortalContext.CSRF, context.tokens.newToken()));
            context.record(SignInEvent.ACTION_SESSION_JOIN, AuditOutcome.SUCCESS, "callback", signIn.user(), request,
                    joined.id().hash().displayId());
            return PortalResponse.redirect(302, grant.returnPathAndQuery(), "CALLBACK_OK",
                    List.of(PortalContext.setCookie(SessionCookie.setCookie(joined.id()))));
        });
    }

    private PortalResponse refused(PortalRequest request, String reason) {
        context.record(SignInEvent.ACTION_CALLBACK, AuditOutcome.FAILURE, reason, null, request, null);
        PortalSite site = PortalContext.site(request);
        return PortalResponse.redirect(302, site.origin().serialized() + PortalPaths.LOGIN, "CALLBACK_REFUSED",
                List.of());
    }
}
