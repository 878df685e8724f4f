package org.portcullis.portal.flow;

import java.util.List;
import org.portcullis.portal.PortalPaths;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.PortalSite;
import org.portcullis.session.SessionCookie;

/**
 * The account home ({@code /.portcullis/}: who is signed in, and the sign-out button) and the second-factor page. A
 * browser without a session is sent to sign in.
 */
final class AccountEndpoint {

    PortalResponse home(PortalRequest request) {
        if (!request.session().signedIn()) {
            return toLogin(request);
        }
        PortalSite site = PortalContext.site(request);
        var user = request.session().user();
        return PortalContext.page(site, site.pages().account(user.displayName(), user.username(),
                PortalContext.attribute(request, PortalContext.CSRF).orElse("")), "ACCOUNT");
    }

    /**
     * The page for a session the policy wants a second factor from. Second factors arrive with their own issues;
     * until a user has one, this page says so and offers sign-out.
     */
    PortalResponse secondFactor(PortalRequest request) {
        if (request.session().session() == null) {
            return toLogin(request);
        }
        PortalSite site = PortalContext.site(request);
        return PortalContext.page(site, site.pages().secondFactorRequired(
                PortalContext.attribute(request, PortalContext.CSRF).orElse("")), "SECOND_FACTOR_PAGE");
    }

    PortalResponse toSecondFactor() {
        return PortalResponse.redirect(303, PortalPaths.SECOND_FACTOR, "TO_SECOND_FACTOR", List.of());
    }

    PortalResponse toHome() {
        return PortalResponse.redirect(303, PortalPaths.HOME, "TO_HOME", List.of());
    }

    private static PortalResponse toLogin(PortalRequest request) {
        List<PortalResponse.Header> clear = request.session().cookieToClear()
                ? List.of(PortalContext.setCookie(SessionCookie.clearingCookie())) : List.of();
        return PortalResponse.redirect(303, PortalPaths.LOGIN, "TO_LOGIN", clear);
    }
}
