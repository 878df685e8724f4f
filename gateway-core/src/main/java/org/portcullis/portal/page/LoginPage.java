package org.portcullis.portal.page;

import static org.portcullis.portal.page.Html.escape;

import java.util.Optional;
import org.portcullis.portal.guard.PortalPaths;

/**
 * The sign-in form: POST {@link PortalPaths#LOGIN} with username, password, csrf and rd (urlencoded).
 *
 * <p>Accessibility (WCAG 2.1): each field has a {@code <label for>} (SC 1.3.1, 4.1.2) and an {@code autocomplete}
 * token ({@code username}, {@code current-password}, SC 1.3.5) so password managers fill it; the order in the source
 * is the focus order: error, username, password, button (SC 2.4.3). On a failed attempt the error is in a
 * {@code role="alert"} region that screen readers announce (SC 4.1.3), it receives the focus, the fields point to it
 * with {@code aria-describedby} and are marked {@code aria-invalid}, and the title starts with "Error:" (SC 3.3.1).
 * Without an error the username field has the focus. Nothing needs JavaScript.
 */
final class LoginPage {
    static final String ERROR_ID = "error-summary";
    static final String USERNAME_ID = "username";
    static final String PASSWORD_ID = "password";
    private static final String AUTOFOCUS = " autofocus=\"\"";

    private LoginPage() {
    }

    static String title(Optional<String> error) {
        return error.isPresent() ? "Error: " + PortalMessages.SIGN_IN_TITLE : PortalMessages.SIGN_IN_TITLE;
    }

    /**
     * @param csrf     the login CSRF token, also set in the {@code __Host-portcullis-csrf} cookie
     * @param rd       where to go after signing in, as received (checked again on POST); may be empty
     * @param username what the user typed last time, to save typing it again; may be empty
     * @param error    the one message to announce, if any
     */
    static String content(String csrf, String rd, String username, Optional<String> error) {
        StringBuilder html = new StringBuilder(1024);
        html.append(Fragments.heading(PortalMessages.SIGN_IN_TITLE));
        String invalid = "";
        if (error.isPresent()) {
            html.append("<div class=\"alert\" id=\"" + ERROR_ID + "\" role=\"alert\" aria-live=\"assertive\"")
                    .append(" tabindex=\"-1\"").append(AUTOFOCUS).append(">\n")
                    .append("<h2>").append(escape(PortalMessages.ERROR_SUMMARY_TITLE)).append("</h2>\n")
                    .append(Fragments.paragraph(error.get()))
                    .append("</div>\n");
            invalid = " aria-invalid=\"true\" aria-describedby=\"" + ERROR_ID + "\"";
        }
        html.append("<form method=\"post\" action=\"" + PortalPaths.LOGIN + "\">\n")
                .append(Fragments.hidden(PortalPaths.FIELD_CSRF, csrf))
                .append(Fragments.hidden(PortalPaths.FIELD_RD, rd))
                .append("<label for=\"" + USERNAME_ID + "\">").append(escape(PortalMessages.USERNAME_LABEL))
                .append("</label>\n")
                .append("<input id=\"" + USERNAME_ID + "\" name=\"" + PortalPaths.FIELD_USERNAME + "\" type=\"text\"")
                .append(" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required=\"\"")
                .append(" value=\"").append(escape(username)).append("\"").append(invalid)
                .append(error.isPresent() ? "" : AUTOFOCUS).append("/>\n")
                .append("<label for=\"" + PASSWORD_ID + "\">").append(escape(PortalMessages.PASSWORD_LABEL))
                .append("</label>\n")
                .append("<input id=\"" + PASSWORD_ID + "\" name=\"" + PortalPaths.FIELD_PASSWORD + "\"")
                .append(" type=\"password\" autocomplete=\"current-password\" required=\"\"").append(invalid)
                .append("/>\n")
                .append("<button type=\"submit\">").append(escape(PortalMessages.SIGN_IN_BUTTON))
                .append("</button>\n")
                .append("</form>\n");
        return html.toString();
    }
}
