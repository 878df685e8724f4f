package org.portcullis.portal.page;

import static org.portcullis.portal.page.Html.escape;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.portal.guard.PortalPaths;

/**
 * The pages that use a security key or passkey: the second-factor page with the key button (and the app and
 * recovery-code forms where they apply), the "a security key is needed" page of a webauthn-only rule, and
 * registration. The button and the status line are wired by the portal's one script ({@code webauthn.js}, allowed
 * by {@link PortalHeaders#withOwnScript()}); the page carries the CSRF token and {@code rd} in {@code data-}
 * attributes, never in script. Without JavaScript a {@code noscript} text says so and the other forms still work.
 */
public final class WebAuthnPages {
    /** The name field on the registration page. */
    public static final String FIELD_KEY_NAME = "key_name";
    /** Steps of {@code POST /.portcullis/security-key}. */
    public static final String STEP_INVITATION = "invitation";
    public static final String STEP_RECOVERY_CODES = "recovery_codes";

    private final PortalLayout layout;

    WebAuthnPages(PortalLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /** {@link PortalPaths#SECURITY_KEY} with {@code rd} percent-encoded, or without a query when it is empty. */
    public static String securityKeyPath(String rd) {
        return rd.isEmpty() ? PortalPaths.SECURITY_KEY : PortalPaths.SECURITY_KEY + "?" + PortalPaths.FIELD_RD + "="
                + URLEncoder.encode(rd, StandardCharsets.UTF_8);
    }

    /**
     * The second-factor page for a user with a key: the key first, then the app's code form when {@code appForm},
     * then the recovery code and sign-out.
     *
     * @param keyRequired say that only a key will do here (a webauthn-only rule)
     */
    public PortalPage secondFactor(int status, String csrf, String rd, Optional<String> error, boolean appForm,
                                   boolean keyRequired) {
        return secondFactor(status, csrf, rd, error, appForm, keyRequired, "");
    }

    /**
     * @param account the username signing in (empty for none). Without {@code appForm} the user has keys only, so the
     *                recovery part speaks of a lost key, not a lost phone.
     */
    public PortalPage secondFactor(int status, String csrf, String rd, Optional<String> error, boolean appForm,
                                   boolean keyRequired, String account) {
        StringBuilder html = new StringBuilder(4096);
        html.append(Fragments.heading(WebAuthnMessages.TITLE)).append(SecondFactorPages.alert(error))
                .append(Fragments.signingInAs(account));
        if (keyRequired) {
            html.append(Fragments.paragraph(WebAuthnMessages.KEY_REQUIRED));
        }
        html.append("<h2>").append(escape(WebAuthnMessages.KEY_HEADING)).append("</h2>\n")
                .append(Fragments.paragraph(WebAuthnMessages.KEY_EXPLAINED))
                .append(ceremony("authenticate", csrf, rd, "", WebAuthnMessages.KEY_BUTTON));
        if (appForm) {
            html.append("<h2>").append(escape(WebAuthnMessages.APP_HEADING)).append("</h2>\n")
                    .append(Fragments.paragraph(SecondFactorMessages.CODE_EXPLAINED))
                    .append(SecondFactorPages.formStart(PortalPaths.SECOND_FACTOR, csrf, rd))
                    .append(SecondFactorPages.codeField(SecondFactorPages.FIELD_CODE,
                            SecondFactorMessages.CODE_LABEL, error, false))
                    .append(SecondFactorPages.button(SecondFactorMessages.CODE_BUTTON)).append("</form>\n");
        }
        html.append("<h2>").append(escape(appForm ? SecondFactorMessages.RECOVERY_TITLE
                        : SecondFactorMessages.RECOVERY_TITLE_KEY)).append("</h2>\n")
                .append(Fragments.paragraph(appForm ? SecondFactorMessages.RECOVERY_EXPLAINED
                        : SecondFactorMessages.RECOVERY_EXPLAINED_KEY))
                .append(SecondFactorPages.formStart(PortalPaths.SECOND_FACTOR, csrf, rd))
                .append(SecondFactorPages.label(SecondFactorPages.FIELD_RECOVERY_CODE,
                        SecondFactorMessages.RECOVERY_LABEL))
                .append("<input id=\"").append(SecondFactorPages.FIELD_RECOVERY_CODE).append("\" name=\"")
                .append(SecondFactorPages.FIELD_RECOVERY_CODE)
                .append("\" type=\"text\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"/>\n")
                .append(SecondFactorPages.button(SecondFactorMessages.RECOVERY_BUTTON)).append("</form>\n")
                .append(Fragments.signOutForm(csrf, PortalMessages.CANCEL_AND_SIGN_OUT))
                .append(SCRIPT);
        return layout.page(status, SecondFactorPages.title(WebAuthnMessages.TITLE, error), html.toString());
    }

    /** A webauthn-only rule met a user without a key: why, and the way to register one. */
    public PortalPage keyRequired(String csrf, String rd) {
        return layout.page(403, WebAuthnMessages.REQUIRED_TITLE, Fragments.heading(WebAuthnMessages.REQUIRED_TITLE)
                + Fragments.paragraph(WebAuthnMessages.REQUIRED_EXPLAINED)
                + Fragments.link(securityKeyPath(rd), WebAuthnMessages.REGISTER_LINK)
                + Fragments.signOutForm(csrf, PortalMessages.CANCEL_AND_SIGN_OUT));
    }

    /**
     * Registration: a name and the button; a hidden form the script submits after the first key of the account, so
     * the recovery codes are made and shown by the server in a page of their own.
     */
    public PortalPage register(int status, String csrf, String rd, Optional<String> error) {
        StringBuilder html = new StringBuilder(2048);
        html.append(Fragments.heading(WebAuthnMessages.REGISTER_TITLE)).append(SecondFactorPages.alert(error))
                .append(Fragments.paragraph(WebAuthnMessages.REGISTER_EXPLAINED))
                .append(ceremony("register", csrf, rd, SecondFactorPages.label(FIELD_KEY_NAME,
                                WebAuthnMessages.NAME_LABEL)
                                + "<input id=\"" + FIELD_KEY_NAME + "\" name=\"" + FIELD_KEY_NAME
                                + "\" type=\"text\" maxlength=\"64\" autocomplete=\"off\" value=\""
                                + escape(WebAuthnMessages.DEFAULT_NAME) + "\"/>\n",
                        WebAuthnMessages.REGISTER_BUTTON))
                .append("<form method=\"post\" action=\"").append(PortalPaths.SECURITY_KEY)
                .append("\" data-webauthn-done=\"\" hidden=\"\">\n")
                .append(Fragments.hidden(PortalPaths.FIELD_CSRF, csrf))
                .append(rd.isEmpty() ? "" : Fragments.hidden(PortalPaths.FIELD_RD, rd))
                .append(Fragments.hidden(SecondFactorPages.FIELD_STEP, STEP_RECOVERY_CODES))
                .append("</form>\n")
                .append(Fragments.link(PortalPaths.HOME, PortalMessages.GO_TO_ACCOUNT))
                .append(SCRIPT);
        return layout.page(status, SecondFactorPages.title(WebAuthnMessages.REGISTER_TITLE, error),
                html.toString());
    }

    /** The enrolment code of a user without any second factor, before a first key. */
    public PortalPage invitation(int status, String csrf, String rd, Optional<String> error) {
        StringBuilder html = new StringBuilder(2048);
        html.append(Fragments.heading(WebAuthnMessages.REGISTER_TITLE)).append(SecondFactorPages.alert(error))
                .append(Fragments.paragraph(WebAuthnMessages.INVITATION_EXPLAINED))
                .append(SecondFactorPages.formStart(PortalPaths.SECURITY_KEY, csrf, rd))
                .append(Fragments.hidden(SecondFactorPages.FIELD_STEP, STEP_INVITATION))
                .append(SecondFactorPages.label(SecondFactorPages.FIELD_INVITATION,
                        SecondFactorMessages.INVITATION_LABEL))
                .append("<input id=\"").append(SecondFactorPages.FIELD_INVITATION).append("\" name=\"")
                .append(SecondFactorPages.FIELD_INVITATION)
                .append("\" type=\"text\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"")
                .append(" required=\"\"/>\n")
                .append(SecondFactorPages.button(SecondFactorMessages.INVITATION_BUTTON)).append("</form>\n")
                .append(Fragments.signOutForm(csrf, PortalMessages.CANCEL_AND_SIGN_OUT));
        return layout.page(status, SecondFactorPages.title(WebAuthnMessages.REGISTER_TITLE, error),
                html.toString());
    }

    /** The passwordless block of the sign-in page: the script wires it to {@link PortalPaths#WEBAUTHN_PASSKEY}. */
    static String passkeyBlock(String csrf, String rd) {
        return ceremony("passkey", csrf, rd, "", PortalMessages.PASSKEY_BUTTON) + SCRIPT;
    }

    private static final String SCRIPT = "<script src=\"" + PortalPaths.WEBAUTHN_SCRIPT + "\" defer=\"\"></script>\n";

    /** The block the script wires: data attributes, optional fields, the button and a live status line. */
    private static String ceremony(String kind, String csrf, String rd, String fields, String buttonText) {
        return "<div class=\"webauthn\" data-webauthn=\"" + kind + "\" data-csrf=\"" + escape(csrf)
                + "\" data-rd=\"" + escape(rd) + "\">\n" + fields
                + "<button type=\"button\" data-webauthn-start=\"\">" + escape(buttonText) + "</button>\n"
                + "<p class=\"webauthn-status\" role=\"status\" aria-live=\"polite\" tabindex=\"-1\""
                + " data-webauthn-status=\"\"></p>\n"
                + "<noscript><p>" + escape(WebAuthnMessages.NEEDS_SCRIPT) + "</p></noscript>\n</div>\n";
    }
}
