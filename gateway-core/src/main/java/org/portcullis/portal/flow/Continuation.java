package org.portcullis.portal.flow;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CallbackCodes;
import org.portcullis.portal.guard.CsrfTokens;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.guard.ReturnTarget;
import org.portcullis.portal.guard.SsoFlows;
import org.portcullis.portal.guard.SsoState;
import org.portcullis.session.Session;
import org.portcullis.session.SessionId;
import org.portcullis.snapshot.PortalSite;

/**
 * Where a signed-in browser goes next: back to the URL it first asked for ({@code rd}, honoured only under the rules of
 * {@link org.portcullis.portal.guard.ReturnTargetPolicy}, else the portal's home). A target on the portal's own origin
 * is reached directly; a target on another protected host goes through that host's callback with a one-time code
 * bound to the host, to this portal session and to the browser that host sent here ({@link SsoState}, SECURITY-RULES
 * 25), so the host can set its own cookie (single sign-on).
 *
 * <p>The browser's state binding for the host comes from, in this order: the {@code state} parameter of this request
 * (a {@code GET} the host's redirect led to, with the same {@code rd}); the portal's {@link SsoFlows} cookie; the
 * binding saved in the session while a second factor was due. Without one no code is issued: the browser goes to
 * the target itself, whose host sends it back here with a fresh binding, and then on with a code.
 */
final class Continuation {
    private final CallbackCodes codes;

    Continuation(CallbackCodes codes) {
        this.codes = codes;
    }

    PortalResponse to(PortalRequest request, SessionId portalSession, Session session, String rd, String outcome) {
        PortalSite site = PortalContext.site(request);
        ReturnTarget target = site.returnTargets().resolve(rd);
        if (target.host().equals(site.origin().host()) && target.port() == site.origin().port()) {
            return PortalResponse.redirect(303, target.toUrl(), outcome, List.of());
        }
        Optional<String> binding = stateFor(request, session, target.host());
        if (binding.isEmpty()) {
            return PortalResponse.redirect(303, target.toUrl(), outcome + "_UNBOUND", List.of());
        }
        String code = codes.issue(target.host(), portalSession.hash(), target.pathAndQuery(), binding.get());
        String callback = target.origin() + PortalPaths.CALLBACK + "?code="
                + URLEncoder.encode(code, StandardCharsets.UTF_8);
        return PortalResponse.redirect(303, callback, outcome, List.of());
    }

    /** The state binding of this browser's sign-in for {@code host}, as described in the class comment. */
    static Optional<String> stateFor(PortalRequest request, Session session, String host) {
        Optional<String> fromQuery = queryState(request, host);
        if (fromQuery.isPresent()) {
            return fromQuery;
        }
        Optional<String> fromCookie = SsoFlows.find(request.request().headers().getAll(HttpHeaderNames.COOKIE), host);
        if (fromCookie.isPresent()) {
            return fromCookie;
        }
        // The session the request came with: a second factor just completed has rotated it, and the new one no
        // longer carries the saved state.
        return saved(session, host).or(() -> saved(request.session().session(), host));
    }

    private static Optional<String> saved(Session session, String host) {
        String saved = session == null ? null : session.attributes().get(PortalContext.SECOND_FACTOR_STATE);
        String prefix = host + ":";
        if (saved != null && saved.startsWith(prefix) && CsrfTokens.isWellFormed(saved.substring(prefix.length()))) {
            return Optional.of(saved.substring(prefix.length()));
        }
        return Optional.empty();
    }

    /** The {@code state} of this request's query when its {@code rd} leads to {@code host}. */
    static Optional<String> queryState(PortalRequest request, String host) {
        FormBody query = PortalContext.query(request);
        String state = query.text(SsoState.PARAMETER);
        if (!CsrfTokens.isWellFormed(state)) {
            return Optional.empty();
        }
        ReturnTarget target = PortalContext.site(request).returnTargets().resolve(query.text(PortalPaths.FIELD_RD));
        return target.host().equals(host) ? Optional.of(state) : Optional.empty();
    }

    /**
     * The value to keep in a session whose second factor is still due, so the code issued after it is bound to the
     * browser that started the sign-in; empty when there is none for {@code rd}'s host.
     */
    static Optional<String> savedState(PortalRequest request, String rd) {
        ReturnTarget target = PortalContext.site(request).returnTargets().resolve(rd);
        return stateFor(request, null, target.host()).map(binding -> target.host() + ":" + binding);
    }
}
