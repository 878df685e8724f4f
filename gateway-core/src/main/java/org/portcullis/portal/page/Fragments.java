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

    /** "Signing in as NAME." on the second-factor pages; nothing when {@code account} is empty. */
    static String signingInAs(String account) {
        return account.isEmpty() ? "" : "<p>" + escape(PortalMessages.SIGNING_IN_AS) + " <strong id=\"account\">"
                + escape(account) + "</strong>.</p>\n";
    }

    /** "Error 404. Reference: …, quote it if you contact support." The id is the gateway's own (hex). */
    static String reference(int status, String requestId) {
        return "<p class=\"reference\">" + escape(String.format(PortalMessages.ERROR_STATUS, status)) + " "
                + escape(PortalMessages.REFERENCE) + " <code id=\"request-id\">" + escape(requestId) + "</code>. "
                + escape(PortalMessages.QUOTE_REFERENCE) + "</p>\n";
    }

    /** "Need help? {@code portal.help_contact}", or nothing when none is configured. */
    static String help(java.util.Optional<String> helpContact) {
        return helpContact.map(contact -> "<p class=\"help\"><strong>" + escape(PortalMessages.NEED_HELP)
                + "</strong> <span id=\"help-contact\">" + escape(contact) + "</span></p>\n").orElse("");
    }

    /** When to come back after a lockout; never an exact instant (the minutes are rounded up). */
    static String retryText(java.util.Optional<Long> minutesLeft) {
        if (minutesLeft.isEmpty()) {
            return PortalMessages.LOCKED_UNTIL_UNLOCKED;
        }
        long minutes = Math.max(1, minutesLeft.get());
        return String.format(PortalMessages.LOCKED_RETRY, minutes, minutes == 1 ? "" : "s");
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
        // A secondary action: outlined and set apart from the page's primary button (see PortalStylesheet).
        return "<form method=\"post\" action=\"" + PortalPaths.LOGOUT + "\" class=\"secondary\">\n"
                + hidden(PortalPaths.FIELD_CSRF, csrf)
                + "<button type=\"submit\">" + escape(buttonText) + "</button>\n"
                + "</form>\n";
    }
}
