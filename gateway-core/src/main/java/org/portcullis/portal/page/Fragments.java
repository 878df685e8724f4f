package org.portcullis.portal.page;

import static org.portcullis.portal.page.Html.escape;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.portcullis.portal.guard.PortalPaths;

/** Small pieces of markup the pages share. Every argument is plain text and is escaped here. */
final class Fragments {
    private Fragments() {
    }

    static String heading(String text) {
        return "<h1>" + escape(text) + "</h1>\n";
    }

    static String paragraph(String text) {
        return "<p>" + escape(text) + "</p>\n";
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\"/>\n";
    }

    /** A link to one of the portal's own paths ({@link PortalPaths}), never to a caller-supplied URL. */
    static String link(String portalPath, String text) {
        return "<p><a href=\"" + escape(portalPath) + "\">" + escape(text) + "</a></p>\n";
    }

    /** The sign-in path with {@code rd} percent-encoded as its only query parameter (nothing when it is empty). */
    static String loginPath(String rd) {
        return rd.isEmpty() ? PortalPaths.LOGIN
                : PortalPaths.LOGIN + "?" + PortalPaths.FIELD_RD + "=" + URLEncoder.encode(rd, StandardCharsets.UTF_8);
    }

    /** POST {@link PortalPaths#LOGOUT} with the CSRF token: sign-out is a state change (SECURITY-RULES 17). */
    static String signOutForm(String csrf, String buttonText) {
        return "<form method=\"post\" action=\"" + PortalPaths.LOGOUT + "\">\n"
                + hidden(PortalPaths.FIELD_CSRF, csrf)
                + "<button type=\"submit\">" + escape(buttonText) + "</button>\n"
                + "</form>\n";
    }
}
