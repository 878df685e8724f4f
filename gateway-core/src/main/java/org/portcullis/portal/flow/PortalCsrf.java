package org.portcullis.portal.flow;

import java.util.List;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.guard.CsrfGuard;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.FormHeaders;
import org.portcullis.portal.guard.PortalPaths;

/**
 * The one place the portal's CSRF checks run (SECURITY-RULES 17), for the kind a route declares in
 * {@link PortalRoutes}. Each kind checks {@code Origin} / {@code Sec-Fetch-Site} first ({@link CsrfGuard}), then its
 * token: the double-submit cookie before there is a session, the token stored in the session after. The token comes
 * from the form's {@code csrf} field, or for the script's JSON calls from exactly one {@value PortalPaths#CSRF_HEADER}
 * header. A body that does not parse as a form carries no token.
 */
final class PortalCsrf {

    private PortalCsrf() {
    }

    static CsrfVerdict check(PortalRoutes.Csrf kind, PortalRequest request) {
        CsrfGuard guard = PortalContext.site(request).csrf();
        FormHeaders headers = PortalContext.formHeaders(request);
        switch (kind) {
            case PRE_SESSION_COOKIE:
                return guard.checkLogin(headers, formToken(request));
            case PRE_SESSION_HEADER:
                return guard.checkLogin(headers, headerToken(request));
            case SESSION_FORM:
                return guard.checkStoredToken(headers, storedToken(request), formToken(request));
            case SESSION_HEADER:
                return guard.checkStoredToken(headers, storedToken(request), headerToken(request));
            default:
                throw new IllegalStateException("PortalCsrf: no check for a route without a CSRF kind");
        }
    }

    private static String formToken(PortalRequest request) {
        return FormBody.parse(request.body()).map(form -> form.text(PortalPaths.FIELD_CSRF)).orElse("");
    }

    private static String headerToken(PortalRequest request) {
        List<String> tokens = request.request().headers().getAll(PortalPaths.CSRF_HEADER);
        return tokens.size() == 1 ? tokens.get(0) : "";
    }

    /** The session's token; "" (which never matches) without a session. */
    private static String storedToken(PortalRequest request) {
        return PortalContext.attribute(request, PortalContext.CSRF).orElse("");
    }
}
