package org.portcullis.portal.flow;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CallbackCodes;
import org.portcullis.portal.guard.CallbackNavigation;
import org.portcullis.portal.guard.CallbackRedemption;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.guard.SsoState;
import org.portcullis.session.IssuedSession;
import org.portcullis.session.Session;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionManagers;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;

/**
 * {@code GET /.portcullis/callback?code=…} on a protected host: the second half of single sign-on. The code is
 * redeemed once, only on the host it was issued for, within its lifetime, and only while the portal session it names
 * is alive, and only in the browser that started the sign-in: the one holding the {@link SsoState} nonce whose binding
 * the code carries (SECURITY-RULES 25). Then this host gets its own host-only session (a new id, the sign-in's user
 * and factors, never a longer life than the portal session; a session the same browser had here before ends) and the
 * browser goes on to the path it first asked for. Any failure sends the browser back to the portal, with nothing set
 * and nothing ended: a callback link opened by another browser neither signs it in nor signs it out.
 */
final class CallbackEndpoint {
    /** The callback URL holds the code: never sent on as a referrer (redirects also carry {@code no-store}). */
    private static final PortalResponse.Header NO_REFERRER = new PortalResponse.Header("Referrer-Policy", "no-referrer");
    private final PortalContext context;
    private final CallbackCodes codes;
    private final StorageExecutor storage;
    private final SessionManagers sessions;

    CallbackEndpoint(PortalContext context, CallbackCodes codes, StorageExecutor storage, SessionManagers sessions) {
        this.context = context;
        this.codes = codes;
        this.storage = storage;
        this.sessions = sessions;
    }

    CompletableFuture<PortalResponse> handle(PortalRequest request) {
        String code = PortalContext.query(request).text("code");
        String host = request.request().host();
        List<String> cookies = request.request().headers().getAll(HttpHeaderNames.COOKIE);
        boolean navigation = CallbackNavigation.allowed(PortalContext.site(request).origin(), host,
                request.request().headers().getAll("Sec-Fetch-Site"));
        SessionManager sessions = this.sessions.forConfig(request.snapshot().config());
        // On a storage thread: in a cluster the code store is Redis, which must never be waited for on the loop.
        return storage.submit(() -> {
            // Redeemed (and so used up) whatever the headers say: a code refused once is good nowhere.
            CallbackRedemption redemption = codes.attempt(code, host, SsoState.find(cookies));
            if (!navigation) {
                return refused(request, "cross_site");
            }
            if (redemption.outcome() != CallbackRedemption.Outcome.REDEEMED) {
                return refused(request, redemption.outcome().name().toLowerCase());
            }
            var grant = redemption.grant().orElseThrow();
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
                    List.of(NO_REFERRER, PortalContext.setCookie(SessionCookie.setCookie(joined.id()))));
        });
    }

    private PortalResponse refused(PortalRequest request, String reason) {
        context.record(SignInEvent.ACTION_CALLBACK, AuditOutcome.FAILURE, reason, null, request, null);
        PortalSite site = PortalContext.site(request);
        return PortalResponse.redirect(302, site.origin().serialized() + PortalPaths.LOGIN, "CALLBACK_REFUSED",
                List.of(NO_REFERRER));
    }
}
