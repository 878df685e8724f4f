package org.portcullis.portal.page;

import static org.portcullis.portal.page.Html.escape;

/** The signed-in user's home: who they are signed in as, and a sign-out button that ends every host's session. */
final class AccountPage {
    private AccountPage() {
    }

    static String content(String displayName, String username, String csrf) {
        return Fragments.heading(PortalMessages.ACCOUNT_TITLE)
                + "<p>" + escape(PortalMessages.SIGNED_IN_AS) + " <strong>" + escape(displayName)
                + "</strong> (username <strong>" + escape(username) + "</strong>).</p>\n"
                + Fragments.paragraph(PortalMessages.SIGN_OUT_EXPLAINED)
                + Fragments.signOutForm(csrf, PortalMessages.SIGN_OUT_BUTTON);
    }
}
