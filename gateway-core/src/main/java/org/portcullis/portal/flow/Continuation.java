package org.portcullis.portal.flow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.portcullis.portal.PortalPaths;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.PortalSite;
import org.portcullis.portal.guard.ReturnTarget;
import org.portcullis.session.Session;
import org.portcullis.session.SessionId;

/**
 * Where a signed-in browser goes next: back to the URL it first asked for ({@code rd}, honoured only under the rules of
 * {@link org.portcullis.portal.guard.ReturnTargetPolicy}, else the portal's home). A target on the portal's own origin
 * is reached directly; a target on another protected host goes through that host's callback with a one-time code
 * bound to the host and to this portal session, so the host can set its own cookie (single sign-on).
 */
final class Continuation {
    private final PortalContext context;

    Continuation(PortalContext context) {
        this.context = context;
    }

    PortalResponse to(PortalRequest request, SessionId portalSession, Session session, String rd, String outcome) {
        PortalSite site = PortalContext.site(request);
        ReturnTarget target = site.returnTargets().resolve(rd);
        if (target.host().equals(site.origin().host()) && target.port() == site.origin().port()) {
            return PortalResponse.redirect(303, target.toUrl(), outcome, List.of());
        }
        String code = context.codes.issue(target.host(), portalSession.hash(), target.pathAndQuery());
        String callback = target.origin() + PortalPaths.CALLBACK + "?code="
                + URLEncoder.encode(code, StandardCharsets.UTF_8);
        return PortalResponse.redirect(303, callback, outcome, List.of());
    }
}
